package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.cluster.UnitWorker;
import ai.pintxo.weaver.cluster.Units;
import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.impl.stream.ReportingObserver;
import ai.pintxo.weaver.impl.stream.ResilientStream;
import ai.pintxo.weaver.impl.stream.SseConnection;
import ai.pintxo.weaver.impl.stream.SseEvent;
import ai.pintxo.weaver.impl.stream.StreamGate;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.trace.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams Pyth prices from Hermes (server-sent events) to {@code pyth-price-topic}, keyed by base
 * symbol. The feed list is checked first (malformed ids and ids Hermes does not list are reported
 * by name and left out), then split over several streams; each stream stays up by itself
 * ({@link ResilientStream}); if Hermes still refuses a stream for an id, that id is found and left out and
 * the stream goes on with the others. With several {@code endpoints}, each unit streams its feeds from
 * every provider at once, so losing one leaves no gap. Updates are deduplicated by (feed, publish time):
 * only a publish time newer than the feed's newest passes (the cache is one entry per feed), so the
 * providers' copies, a rotation's overlap or an out-of-order update produce nothing twice; then they are
 * conflated per feed. The Pyth API key ({@link PythApiKey}) goes to every provider as
 * {@code Authorization: Bearer}; a 401 or 403 stops the unit (or, with other providers still up, is
 * reported as its error) with one line naming the missing or refused key. A feed whose latest publish
 * time is older than its {@code maxStaleness} is marked ({@link StaleFeeds}): its last price is
 * written again once with {@code stale = true}, counted in {@code weaver_pyth_stale_feeds} and named in
 * its unit's detail on {@code /pipelines}, until a newer update clears the mark.
 * Prices go through a latest-value {@link SourceSink}: while Kafka is unavailable or the sink is full
 * every stream of this instance is paused ({@link StreamGate}) and a waiting price is replaced by a newer
 * one of its feed, so nothing piles up and the latest price reaches Kafka once it is back.
 */
public final class PythVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PythVerticle.class);
  /** How long a stopping instance waits for Kafka to acknowledge what it read (a stop during an outage still ends). */
  private static final java.time.Duration SINK_CLOSE_GRACE = java.time.Duration.ofSeconds(30);
  private static final Pattern FEED_ID = Pattern.compile("(?i)(?:0x)?([0-9a-f]{64})");

  private PythOptions options;
  private final Map<String, String> env;
  private PythApiKey apiKey;
  private List<String> endpoints;
  private HttpClient client;
  /** One request budget per provider (per host, shared with other sources calling it). */
  private final Map<String, RequestBudget> budgets = new HashMap<>();
  private SourceSink sink;
  private final StreamGate gate = new StreamGate(() -> this.reporters.values());
  private DeadLetterWriter deadLetters;
  private Conflator<PythPrice> conflator;
  private Tracing tracing;
  /** The trace of each feed's latest offered price (empty when tracing is off). */
  private final Map<String, List<Header>> traces = new HashMap<>();
  private final Map<String, PythFeed> streamed = new HashMap<>();
  /** Newest publish time (epoch seconds) per feed; read by the status page's lag, hence concurrent. */
  private final Map<String, Long> lastPublish = new java.util.concurrent.ConcurrentHashMap<>();
  /** Each feed's newest price, written again marked stale when the feed goes quiet. */
  private final Map<String, PythPrice> latestPrice = new HashMap<>();
  private StaleFeeds staleFeeds;
  /** When each unit started here (epoch ms): the staleness reference of a feed that published nothing yet. */
  private final Map<String, Long> unitStarted = new HashMap<>();
  private long staleTimer = -1;
  /** The streams of each unit this instance runs (a refused stream can split into several). */
  private final Map<String, List<ResilientStream>> streams = new HashMap<>();
  /** Each unit's feeds as the config groups them, the same in every process. */
  private final Map<String, List<PythFeed>> unitFeeds = new java.util.TreeMap<>();
  private final Map<String, UnitReporter> reporters = new HashMap<>();
  private Units units;
  private final Set<String> rejected = new LinkedHashSet<>();
  private Counter accepted;
  private Counter duplicates;
  private Counter produced;
  private MeterRegistry registry;

  /** Reads its options from the deployment's JSON config, the API key from the process environment. */
  public PythVerticle() {
    this.env = System.getenv();
  }

  /** The API key comes from the process environment. */
  public PythVerticle(PythOptions options) {
    this(options, System.getenv());
  }

  /**
   * @param env the environment the API key is read from ({@link PythOptions#getApiKeyEnv()})
   */
  public PythVerticle(PythOptions options, Map<String, String> env) {
    this.options = options.validate(); // options built in Java get the errors a deployment file gets, before anything starts
    this.env = Map.copyOf(env);
  }

  @Override
  public Future<?> start() {
    try {
      if (options == null) {
        options = new PythOptions(config());
      }
      options.getKafka().validateForClients("kafka");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    registry = WeaverMetrics.registry(vertx);
    tracing = Tracing.of(vertx);
    accepted = Counter.builder("weaver.pyth.updates").tag("result", "accepted").register(registry);
    duplicates = Counter.builder("weaver.pyth.updates").tag("result", "duplicate").register(registry);
    produced = Counter.builder("weaver.records.produced").tag("topic", PythPrice.TOPIC.name()).register(registry);
    endpoints = options.getEndpoints();
    apiKey = PythApiKey.resolve(options, env);
    boolean tls = endpoints.stream().anyMatch(e -> e.startsWith("https:"));
    // Each request's absolute URL picks TLS or not; ALPN matters only where TLS is used.
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setUseAlpn(tls).setKeepAlive(true).setConnectTimeout(10_000)
        .setMaxInitialLineLength(64 * 1024));
    for (String endpoint : endpoints) {
      // The same key as the poller's and the real-time source's: an https URL without a port shares the :443 budget.
      budgets.put(endpoint, RequestBudget.forUrl(vertx, URI.create(endpoint), options.getRequestsPerPeriod(), options.getRequestPeriod()));
    }
    LOG.atInfo().addKeyValue("providers", endpoints.size()).addKeyValue("key", apiKey).log("pyth.starting");
    conflator = new Conflator<>(vertx, options.getConflationInterval(), this::produce);
    return configuredFeeds()
        .compose(configured -> TopicCreator.ensure(vertx, options.getKafka(), List.of(PythPrice.TOPIC.name(), PythPrice.TOPIC.deadLetterTopic()))
            .map(configured))
        .compose(configured -> vertx.executeBlocking(() -> KafkaClients.sourceProducer(vertx, options.getKafka(), "weaver-pyth", options.getProfile())).map(producer -> {
          sink = new SourceSink(vertx, SourceSink.Sender.of(producer), SourceSink.Settings.of("pyth", SourceSink.Mode.LATEST_VALUE), registry)
              .listener(gate);
          return configured;
        }))
        .compose(configured -> catalog(0).map(catalog -> {
          declareUnits(configured);
          staleFeeds = staleFeeds(configured);
          return FeedList.check(configured, catalog);
        }))
        .compose(this::startStreams);
  }

  private Future<List<PythFeedOptions>> configuredFeeds() {
    List<PythFeedOptions> feeds = new java.util.ArrayList<>(options.getFeedsList());
    if (options.getFeedsFile() == null) {
      return Future.succeededFuture(feeds);
    }
    return vertx.fileSystem().readFile(options.getFeedsFile())
        .recover(err -> Future.failedFuture(new ConfigException("feedsFile", "cannot read '" + options.getFeedsFile() + "': " + err.getMessage())))
        .map(content -> {
          feeds.addAll(PythOptions.parseFeedsFile(content, options.getFeedsFile()));
          return feeds;
        });
  }

  /** The catalog from the first provider that gives it, or null when none can (the feeds then keep their configured symbols). */
  private Future<Map<String, PythFeed>> catalog(int provider) {
    String endpoint = endpoints.get(provider);
    return HermesCatalog.fetch(vertx, client, endpoint, tokenQuery(), headers(), budgets.get(endpoint), options.getStream().defaultLockout(),
        HermesCatalog.TIME_LIMIT)
        .recover(err -> {
          LOG.atWarn().addKeyValue("provider", providerName(endpoint))
              .log("pyth.catalog_unavailable: {}; unknown ids will only show when Hermes refuses them", err.getMessage());
          return provider + 1 < endpoints.size() ? catalog(provider + 1) : Future.succeededFuture(null);
        });
  }

  /** Each feed's own staleness bound, by normalised id; the rest take the pipeline's. */
  private StaleFeeds staleFeeds(List<PythFeedOptions> configured) {
    Map<String, java.time.Duration> bounds = new HashMap<>();
    for (PythFeedOptions feed : configured) {
      if (feed.getMaxStaleness() != null) {
        bounds.put(feed.getId().trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^0x", ""), feed.getMaxStaleness());
      }
    }
    return new StaleFeeds(options.getMaxStaleness(), bounds);
  }

  /**
   * A unit is one stream's worth of feeds, grouped from the configured list alone (not the catalog,
   * which a process may fail to fetch), so every process with the same config has the same units.
   */
  private void declareUnits(List<PythFeedOptions> configured) {
    List<List<PythFeed>> groups = FeedList.check(configured, null).groups(options.getMaxFeedsPerStream());
    int digits = Integer.toString(Math.max(1, groups.size() - 1)).length();
    for (int i = 0; i < groups.size(); i++) {
      unitFeeds.put("feeds-" + String.format("%0" + digits + "d", i), groups.get(i));
    }
  }

  private Future<Void> startStreams(FeedList feeds) {
    for (FeedList.Rejected r : feeds.rejected()) {
      if (r.duplicate()) {
        // the id is streamed under its first entry: reported, but not among the ids left out, so a
        // later refusal of that id by Hermes is still reported
        reportRejection(r.id(), r.symbol(), r.reason());
      } else {
        reject(r.id(), r.symbol(), r.reason());
      }
    }
    feeds.accepted().forEach(f -> streamed.put(f.id(), f));
    Gauge.builder("weaver.pyth.feeds", this::feedsStreamedHere).description("Feeds of the units this process runs, whose stream is up")
        .tag("state", "streamed").register(registry);
    Gauge.builder("weaver.pyth.feeds", rejected::size).tag("state", "rejected").register(registry);
    Gauge.builder("weaver.pyth.stale.feeds", staleFeeds::count)
        .description("Feeds of the units this process runs whose latest publish time is older than their maxStaleness").register(registry);
    if (staleFeeds.enabled()) {
      staleTimer = vertx.setPeriodic(staleFeeds.checkInterval().toMillis(), t -> checkStale());
    }
    LOG.atInfo().addKeyValue("streamed", feeds.accepted().size()).addKeyValue("rejected", feeds.rejected().size())
        .addKeyValue("streams", (feeds.accepted().size() + options.getMaxFeedsPerStream() - 1) / options.getMaxFeedsPerStream())
        .log("pyth.feeds_checked");
    units = new Units(vertx, options.getKafka(), options.getCluster(), PythProvider.TYPE, unitFeeds.keySet(), new UnitWorker() {
      @Override
      public Future<Void> startUnit(String unit, UnitReporter reporter) {
        List<PythFeed> group = new ArrayList<>();
        for (PythFeed feed : unitFeeds.get(unit)) {
          PythFeed accepted = streamed.get(feed.id());
          if (accepted != null) {
            group.add(accepted); // with the catalog's symbol
          }
        }
        reporters.put(unit, reporter);
        streams.put(unit, new ArrayList<>());
        unitStarted.put(unit, System.currentTimeMillis());
        List<String> ids = group.stream().map(PythFeed::id).toList();
        reporter.lag("staleness", () -> staleness(ids));
        if (group.isEmpty()) {
          reporter.stopped("every feed of this unit was rejected");
          return Future.succeededFuture();
        }
        for (String endpoint : endpoints) {
          stream(unit, endpoint, group); // every provider: losing one leaves the others' updates
        }
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stopUnit(String unit) {
        reporters.remove(unit);
        unitStarted.remove(unit);
        staleFeeds.forget(unitFeeds.get(unit).stream().map(PythFeed::id).toList());
        List<ResilientStream> running = streams.remove(unit);
        List<Future<Void>> closed = new ArrayList<>();
        if (running != null) {
          running.forEach(s -> {
            closed.add(s.stop());
            gate.remove(s);
          });
        }
        // Closed, and the prices already read (in the conflator or the sink) acknowledged, before the unit counts as stopped.
        return Future.join(closed).transform(ar -> {
          conflator.flush(unitFeeds.get(unit).stream().map(PythFeed::id).toList());
          return sink.drained(SINK_CLOSE_GRACE);
        });
      }
    });
    return units.start();
  }

  /** @return the age of the oldest latest price among the feeds, in seconds: the stalest feed is what an engine user sees */
  private ai.pintxo.weaver.pipeline.Lag staleness(List<String> ids) {
    long oldest = Long.MAX_VALUE;
    for (String id : ids) {
      Long last = lastPublish.get(id);
      if (last != null) {
        oldest = Math.min(oldest, last);
      }
    }
    return oldest == Long.MAX_VALUE ? null
        : ai.pintxo.weaver.pipeline.Lag.of("staleness", Math.max(0, Instant.now().getEpochSecond() - oldest));
  }

  private int feedsStreamedHere() {
    int n = 0;
    for (Map.Entry<String, List<ResilientStream>> e : streams.entrySet()) {
      UnitReporter reporter = reporters.get(e.getKey());
      if (reporter != null && reporter.state() == ai.pintxo.weaver.pipeline.UnitState.RUNNING) {
        n += unitFeeds.get(e.getKey()).size();
      }
    }
    return n;
  }

  private void reject(String id, String symbol, String reason) {
    if (rejected.add(id)) {
      reportRejection(id, symbol, reason);
    }
  }

  private void reportRejection(String id, String symbol, String reason) {
    LOG.atWarn().addKeyValue("id", id).addKeyValue("symbol", symbol).log("pyth.feed_rejected: {}", reason);
    Counter.builder("weaver.pyth.feeds.rejected").tag("reason", reason.split(":")[0]).register(registry).increment();
  }

  /** @return the ids left out, in the order they were found */
  public Set<String> rejectedFeeds() {
    return java.util.Collections.unmodifiableSet(rejected);
  }

  /** Streams a unit's group of feeds from one provider. */
  private void stream(String unit, String endpoint, List<PythFeed> group) {
    List<ResilientStream> unitStreams = streams.get(unit);
    if (group.isEmpty() || unitStreams == null) {
      return; // nothing left, or the unit was stopped (moved, paused) while a retry waited
    }
    UnitReporter reporter = reporters.get(unit);
    StringBuilder url = new StringBuilder(endpoint).append("/v2/updates/price/stream?");
    for (PythFeed feed : group) {
      url.append("ids%5B%5D=").append(feed.id()).append('&');
    }
    url.append("parsed=true").append(tokenQuery());
    String name = "hermes" + (endpoints.size() > 1 ? "@" + URI.create(endpoint).getAuthority() : "") + "[" + group.get(0).symbol()
        + (group.size() > 1 ? " +" + (group.size() - 1) : "") + "]";
    ResilientStream[] self = new ResilientStream[1];
    String streamUrl = url.toString();
    MultiMap headers = headers();
    self[0] = new ResilientStream(vertx, listener -> new SseConnection(client, streamUrl, headers, listener), name, options.getStream(),
        budgets.get(endpoint), new ReportingObserver(reporter) {
      @Override
      protected void handle(SseEvent event) {
        prices(event, name);
      }

      @Override
      public void backingOff(java.time.Duration delay, String why) {
        if (unitStreams.stream().anyMatch(s -> s != self[0] && s.connected())) {
          reporter.failed(name + ": " + why); // another provider still delivers: the unit runs on
        } else {
          super.backingOff(delay, why);
        }
      }

      @Override
      public void refused(int status, String body) {
        unitStreams.remove(self[0]);
        gate.remove(self[0]);
        refusedBy(unit, endpoint, group, status, body);
      }
    });
    unitStreams.add(self[0]);
    gate.add(self[0]);
    self[0].start();
  }

  /**
   * A provider refused a stream. For the key (401, 403): that provider's stream ends, and the unit stops
   * with one line naming the key unless another provider still streams it. For an id (400): leave out the
   * ids it names, or split the group to find them.
   */
  private void refusedBy(String unit, String endpoint, List<PythFeed> group, int status, String body) {
    if (status == 401 || status == 403) {
      String message = apiKey.refusal(status, providerName(endpoint));
      LOG.atError().addKeyValue("unit", unit).addKeyValue("status", status).log("pyth.key_refused: {}", message);
      UnitReporter reporter = reporters.get(unit);
      List<ResilientStream> remaining = streams.get(unit);
      if (reporter != null) {
        if (remaining == null || remaining.isEmpty()) {
          reporter.stopped(message); // retrying cannot help until the key is fixed; the operator restarts the pipeline
        } else {
          reporter.failed(message);
        }
      }
      return;
    }
    if (status != 400) {
      LOG.atError().addKeyValue("status", status).log("pyth.stream_refused: {} (check the endpoint and access token); retrying in {} s",
          body, options.getStream().maxBackoff().toSeconds());
      UnitReporter reporter = reporters.get(unit);
      if (reporter != null) {
        reporter.backingOff(Instant.now().plus(options.getStream().maxBackoff()), "refused with " + status + ": " + abbreviate(body));
      }
      vertx.setTimer(options.getStream().maxBackoff().toMillis(), t -> stream(unit, endpoint, group));
      return;
    }
    Set<String> named = new LinkedHashSet<>();
    Matcher m = FEED_ID.matcher(body);
    while (m.find()) {
      named.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    List<PythFeed> rest = new ArrayList<>();
    for (PythFeed feed : group) {
      if (named.contains(feed.id())) {
        reject(feed.id(), feed.symbol(), "rejected by Hermes: " + abbreviate(body));
        streamed.remove(feed.id());
      } else {
        rest.add(feed);
      }
    }
    if (rest.size() < group.size()) {
      stream(unit, endpoint, rest);
    } else if (group.size() == 1) {
      reject(group.get(0).id(), group.get(0).symbol(), "rejected by Hermes: " + abbreviate(body));
      streamed.remove(group.get(0).id());
    } else {
      // Hermes did not say which id: halve the group until the culprit stands alone.
      stream(unit, endpoint, new ArrayList<>(group.subList(0, group.size() / 2)));
      stream(unit, endpoint, new ArrayList<>(group.subList(group.size() / 2, group.size())));
    }
  }

  private void prices(SseEvent event, String stream) {
    // One trace per message (a batch of updates): each price it brings carries it to the connector.
    Span span = tracing.sourceEvent("pyth prices", options.getCluster().getPipeline(), stream);
    try (Scope scope = tracing.current(span)) {
      List<Header> trace = tracing.headers(span, List.of());
      List<PythPrice> prices;
      try {
        prices = PriceUpdates.parse(event.data(), streamed, stream);
      } catch (PayloadDecodeException e) {
        deadLetters().write(PythPrice.TOPIC.name(), null, event.data().getBytes(StandardCharsets.UTF_8),
            new DeadLetter("decode", e.getMessage(), 0, RecordOrigin.source(stream), Instant.now()), trace);
        Tracing.fail(span, "undecodable message: " + e.getMessage());
        return;
      }
      int offered = 0;
      for (PythPrice price : prices) {
        Long last = lastPublish.get(price.feedId());
        if (last != null && price.publishTime() <= last) {
          duplicates.increment(); // seen already (a rotation's overlap) or older than what we have
          continue;
        }
        lastPublish.put(price.feedId(), price.publishTime());
        latestPrice.put(price.feedId(), price);
        if (staleFeeds.fresh(price.feedId())) {
          LOG.atInfo().addKeyValue("feed", price.symbol()).log("pyth.feed_fresh: a newer publish time clears the stale mark");
        }
        accepted.increment();
        if (!trace.isEmpty()) {
          traces.put(price.feedId(), trace); // the conflator keeps the latest price per feed: its trace goes with it
        }
        conflator.offer(price.feedId(), price);
        offered++;
      }
      if (span.isRecording()) {
        span.setAttribute(Tracing.RECORDS, (long) offered);
      }
      span.end();
    }
  }

  /**
   * Marks the feeds that went quiet past their bound: each one's last price is written once more with
   * {@code stale = true} (search users see it on the document; nothing more is written until a fresh
   * update clears the mark), and each unit's detail on {@code /pipelines} names its stale feeds.
   */
  private void checkStale() {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, UnitReporter> e : reporters.entrySet()) {
      UnitReporter reporter = e.getValue();
      ai.pintxo.weaver.pipeline.UnitState state = reporter.state();
      Long started = unitStarted.get(e.getKey());
      if (started == null || state == ai.pintxo.weaver.pipeline.UnitState.STOPPED || state == ai.pintxo.weaver.pipeline.UnitState.PAUSED) {
        continue; // already reported as such, or paused on purpose
      }
      List<String> ids = unitFeeds.get(e.getKey()).stream().map(PythFeed::id).filter(streamed::containsKey).toList();
      for (String id : staleFeeds.check(ids, lastPublish, now, started)) {
        PythPrice last = latestPrice.get(id);
        LOG.atWarn().addKeyValue("feed", streamed.get(id).symbol()).addKeyValue("boundMs", staleFeeds.bound(id).toMillis())
            .addKeyValue("lastPublish", last == null ? "none" : Instant.ofEpochSecond(last.publishTime()).toString()).log("pyth.feed_stale");
        if (last != null) {
          produce(last.withStale(true));
        }
      }
      reporter.detail(staleDetail(ids, now));
    }
  }

  /** @return e.g. {@code stale: Crypto.BTC/USD (last publish 75 s ago, maxStaleness 60 s)}, or null when none is */
  private String staleDetail(List<String> ids, long now) {
    List<String> parts = new ArrayList<>();
    for (String id : ids) {
      if (staleFeeds.isStale(id)) {
        Long last = lastPublish.get(id);
        parts.add(streamed.get(id).symbol() + " (" + (last == null ? "nothing published" : "last publish " + (now / 1000 - last) + " s ago")
            + ", maxStaleness " + staleFeeds.bound(id).toSeconds() + " s)");
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    return "stale: " + String.join(", ", parts.size() > 5 ? parts.subList(0, 5) : parts) + (parts.size() > 5 ? " and " + (parts.size() - 5)
        + " more" : "");
  }

  /** @return e.g. {@code Hermes at pyth.dourolabs.app}: names a provider without its path, which may hold a token */
  private static String providerName(String endpoint) {
    return "Hermes at " + URI.create(endpoint).getHost() + (URI.create(endpoint).getPort() > 0 ? ":" + URI.create(endpoint).getPort() : "");
  }

  /** A failure is counted and logged by the sink; a conflated price succeeds with the newer one, counted once. */
  private void produce(PythPrice price) {
    List<Header> trace = traces.isEmpty() ? List.of() : traces.getOrDefault(price.feedId(), List.of());
    sink.send(PythPrice.TOPIC.name(), PythPrice.TOPIC.keySerde().encode(price.key()), PythPrice.TOPIC.encode(price), trace)
        .onSuccess(outcome -> {
          if (outcome == SourceSink.Outcome.PRODUCED) {
            produced.increment();
          }
        });
  }

  private DeadLetterWriter deadLetters() {
    if (deadLetters == null) {
      deadLetters = new DeadLetterWriter(sink, registry);
    }
    return deadLetters;
  }

  private MultiMap headers() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("User-Agent", options.getCluster().userAgent("pintxo-data-weaver"));
    if (apiKey.present() && options.getAccessTokenMode().equals("header")) {
      headers.add("Authorization", "Bearer " + apiKey.value());
    }
    return headers;
  }

  private String tokenQuery() {
    return apiKey.present() && options.getAccessTokenMode().equals("query")
        ? "&ACCESS_TOKEN=" + URLEncoder.encode(apiKey.value(), StandardCharsets.UTF_8) : "";
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
  }

  @Override
  public Future<?> stop() {
    Future<Void> unitsStopped = units == null ? Future.succeededFuture() : units.stop();
    return unitsStopped.compose(v -> close());
  }

  private Future<Void> close() {
    if (conflator != null) {
      conflator.stop();
    }
    if (staleTimer >= 0) {
      vertx.cancelTimer(staleTimer);
    }
    Future<Void> closed = sink == null ? Future.succeededFuture() : sink.close(SINK_CLOSE_GRACE);
    return closed.compose(v -> client == null ? Future.succeededFuture() : client.close());
  }
}
