package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.impl.stream.SseEvent;
import ai.pintxo.weaver.impl.stream.ResilientStream;
import ai.pintxo.weaver.impl.stream.SseConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.kafka.client.producer.KafkaWriteStream;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams Pyth prices from Hermes (server-sent events) to {@code pyth-price-topic}, keyed by base
 * symbol. The feed list is checked first (malformed ids and ids Hermes does not list are reported
 * by name and left out), then split over several streams; each stream stays up by itself
 * ({@link ResilientStream}); if Hermes still refuses a stream for an id, that id is found and left out and
 * the stream goes on with the others. Updates are deduplicated by (feed, publish time), so a
 * rotation's overlap or an out-of-order update produces nothing twice, and conflated per feed.
 */
public final class PythVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PythVerticle.class);
  private static final Pattern FEED_ID = Pattern.compile("(?i)(?:0x)?([0-9a-f]{64})");

  private PythOptions options;
  private HttpClient client;
  private RequestBudget budget;
  private KafkaWriteStream<byte[], byte[]> producer;
  private DeadLetterWriter deadLetters;
  private Conflator<PythPrice> conflator;
  private final Map<String, PythFeed> streamed = new HashMap<>();
  private final Map<String, Long> lastPublish = new HashMap<>();
  private final List<ResilientStream> streams = new ArrayList<>();
  private final Set<String> rejected = new LinkedHashSet<>();
  private Counter accepted;
  private Counter duplicates;
  private Counter produced;
  private MeterRegistry registry;

  /** Reads its options from the deployment's JSON config. */
  public PythVerticle() {
  }

  public PythVerticle(PythOptions options) {
    this.options = options.validate(); // options built in Java get the errors a deployment file gets, before anything starts
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
    accepted = Counter.builder("weaver.pyth.updates").tag("result", "accepted").register(registry);
    duplicates = Counter.builder("weaver.pyth.updates").tag("result", "duplicate").register(registry);
    produced = Counter.builder("weaver.records.produced").tag("topic", PythPrice.TOPIC.name()).register(registry);
    URI endpoint = URI.create(options.getEndpoint());
    boolean tls = "https".equals(endpoint.getScheme());
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setUseAlpn(tls).setKeepAlive(true).setConnectTimeout(10_000)
        .setMaxInitialLineLength(64 * 1024));
    // The same key as the poller's and the real-time source's: an https URL without a port shares the :443 budget.
    budget = RequestBudget.forUrl(vertx, endpoint, options.getRequestsPerPeriod(), options.getRequestPeriod());
    conflator = new Conflator<>(vertx, options.getConflationInterval(), this::produce);
    return configuredFeeds()
        .compose(configured -> TopicCreator.ensure(vertx, options.getKafka(), List.of(PythPrice.TOPIC.name(), PythPrice.TOPIC.deadLetterTopic()))
            .map(configured))
        .compose(configured -> vertx.executeBlocking(() -> {
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-pyth");
          return configured;
        }))
        .compose(configured -> catalog().map(catalog -> FeedList.check(configured, catalog)))
        .onSuccess(this::startStreams)
        .mapEmpty();
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

  /** The catalog, or null when Hermes cannot give it (the feeds then keep their configured symbols). */
  private Future<Map<String, PythFeed>> catalog() {
    return HermesCatalog.fetch(vertx, client, options.getEndpoint(), tokenQuery(), headers(), budget, options.getStream().defaultLockout(),
        HermesCatalog.TIME_LIMIT)
        .recover(err -> {
          LOG.atWarn().log("pyth.catalog_unavailable: {}; unknown ids will only show when Hermes refuses them", err.getMessage());
          return Future.succeededFuture(null);
        });
  }

  private void startStreams(FeedList feeds) {
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
    Gauge.builder("weaver.pyth.feeds", streamed::size).tag("state", "streamed").register(registry);
    Gauge.builder("weaver.pyth.feeds", rejected::size).tag("state", "rejected").register(registry);
    LOG.atInfo().addKeyValue("streamed", feeds.accepted().size()).addKeyValue("rejected", feeds.rejected().size())
        .addKeyValue("streams", (feeds.accepted().size() + options.getMaxFeedsPerStream() - 1) / options.getMaxFeedsPerStream())
        .log("pyth.feeds_checked");
    for (List<PythFeed> group : feeds.groups(options.getMaxFeedsPerStream())) {
      stream(new ArrayList<>(group));
    }
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

  private void stream(List<PythFeed> group) {
    if (group.isEmpty()) {
      return;
    }
    StringBuilder url = new StringBuilder(options.getEndpoint()).append("/v2/updates/price/stream?");
    for (PythFeed feed : group) {
      url.append("ids%5B%5D=").append(feed.id()).append('&');
    }
    url.append("parsed=true").append(tokenQuery());
    String name = "hermes[" + group.get(0).symbol() + (group.size() > 1 ? " +" + (group.size() - 1) : "") + "]";
    ResilientStream[] self = new ResilientStream[1];
    String streamUrl = url.toString();
    MultiMap headers = headers();
    self[0] = new ResilientStream(vertx, listener -> new SseConnection(client, streamUrl, headers, listener), name, options.getStream(),
        budget, new ResilientStream.Observer() {
      @Override
      public void event(SseEvent event) {
        prices(event, name);
      }

      @Override
      public void refused(int status, String body) {
        streams.remove(self[0]);
        refusedBy(group, status, body);
      }
    });
    streams.add(self[0]);
    self[0].start();
  }

  /** Hermes refused a stream: leave out the ids it names, or split the group to find them. */
  private void refusedBy(List<PythFeed> group, int status, String body) {
    if (status != 400) {
      LOG.atError().addKeyValue("status", status).log("pyth.stream_refused: {} (check the endpoint and access token); retrying in {} s",
          body, options.getStream().maxBackoff().toSeconds());
      vertx.setTimer(options.getStream().maxBackoff().toMillis(), t -> stream(group));
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
      stream(rest);
    } else if (group.size() == 1) {
      reject(group.get(0).id(), group.get(0).symbol(), "rejected by Hermes: " + abbreviate(body));
      streamed.remove(group.get(0).id());
    } else {
      // Hermes did not say which id: halve the group until the culprit stands alone.
      stream(new ArrayList<>(group.subList(0, group.size() / 2)));
      stream(new ArrayList<>(group.subList(group.size() / 2, group.size())));
    }
  }

  private void prices(SseEvent event, String stream) {
    List<PythPrice> prices;
    try {
      prices = PriceUpdates.parse(event.data(), streamed, stream);
    } catch (PayloadDecodeException e) {
      deadLetters().write(PythPrice.TOPIC.name(), null, event.data().getBytes(StandardCharsets.UTF_8),
          new DeadLetter("decode", e.getMessage(), 0, RecordOrigin.source(stream), Instant.now()));
      return;
    }
    for (PythPrice price : prices) {
      Long last = lastPublish.get(price.feedId());
      if (last != null && price.publishTime() <= last) {
        duplicates.increment(); // seen already (a rotation's overlap) or older than what we have
        continue;
      }
      lastPublish.put(price.feedId(), price.publishTime());
      accepted.increment();
      conflator.offer(price.feedId(), price);
    }
  }

  private void produce(PythPrice price) {
    producer.send(new ProducerRecord<>(PythPrice.TOPIC.name(), PythPrice.TOPIC.keySerde().encode(price.key()), PythPrice.TOPIC.encode(price)))
        .onSuccess(m -> produced.increment())
        .onFailure(err -> LOG.atWarn().addKeyValue("feed", price.symbol()).log("pyth.produce_failed: {}", err.toString()));
  }

  private DeadLetterWriter deadLetters() {
    if (deadLetters == null) {
      deadLetters = new DeadLetterWriter(producer, registry);
    }
    return deadLetters;
  }

  private MultiMap headers() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("User-Agent", "pintxo-data-weaver");
    if (options.getAccessToken() != null && options.getAccessTokenMode().equals("header")) {
      headers.add("Authorization", "Bearer " + options.getAccessToken());
    }
    return headers;
  }

  private String tokenQuery() {
    return options.getAccessToken() != null && options.getAccessTokenMode().equals("query")
        ? "&ACCESS_TOKEN=" + URLEncoder.encode(options.getAccessToken(), StandardCharsets.UTF_8) : "";
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
  }

  @Override
  public Future<?> stop() {
    streams.forEach(ResilientStream::stop);
    if (conflator != null) {
      conflator.stop();
    }
    Promise<Void> closed = Promise.promise();
    if (producer != null) {
      producer.flush().eventually(() -> producer.close()).onComplete(ar -> closed.complete());
    } else {
      closed.complete();
    }
    return closed.future().compose(v -> client == null ? Future.succeededFuture() : client.close());
  }
}
