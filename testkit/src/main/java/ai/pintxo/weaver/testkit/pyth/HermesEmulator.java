package ai.pintxo.weaver.testkit.pyth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Pyth's Hermes in process: {@code /v2/price_feeds}, {@code /v2/updates/price/latest},
 * {@code /v2/updates/price/<publish_time>} and the {@code /v2/updates/price/stream} server-sent
 * events, with prices of the real shape (integers in strings, an exponent, EMA, metadata with
 * slot) moving as random walks. It behaves as Hermes does: 400 for an unknown id in
 * {@code ids[]} (unless {@code ignore_invalid_price_ids=true}), 429 and a lockout above the request
 * budget, streams closed after a maximum duration, keep-alive comments, an {@code error} event and
 * a close for a consumer that cannot keep up, 401 without the required API key and 403 with a wrong one;
 * plus switches to close streams, send an error event or go silent, and {@link #addProvider() more
 * providers} serving the same prices (as redundant Hermes providers do) that can be killed.
 *
 * <p>Threading: serves on one event loop; the switches may be flipped from any thread.
 */
public final class HermesEmulator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final Map<String, HermesFeed> catalog = new LinkedHashMap<>();
  private final Map<String, long[]> state = new ConcurrentHashMap<>(); // price, conf, ema, publishTime, slot
  private final Random random = new Random(7);
  private final List<Stream> streams = new CopyOnWriteArrayList<>();
  private final List<Provider> providers = new CopyOnWriteArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final Set<String> hiddenFromStreams = ConcurrentHashMap.newKeySet();
  private final Set<String> pausedFeeds = ConcurrentHashMap.newKeySet();
  private volatile int budgetRequests = Integer.MAX_VALUE;
  private volatile long budgetPeriodMillis = 10_000;
  private volatile long lockoutMillis = 60_000;
  private final List<Long> recent = new ArrayList<>();
  /** Each feed's last update as an immutable value, for readers off the event loop (state's arrays change in place). */
  private final Map<String, LatestPrice> latest = new ConcurrentHashMap<>();
  private final ai.pintxo.weaver.testkit.activity.ActivityLog activity = new ai.pintxo.weaver.testkit.activity.ActivityLog();
  private volatile long lockedUntil;
  private volatile long maxStreamMillis = 24 * 3600_000L;
  private volatile long silentUntil;
  private volatile boolean publishTimePerUpdate;
  private volatile String requiredToken;
  private volatile BiConsumer<String, Long> emissionListener = (feed, publishTime) -> { };
  private final long updateMillis;
  private final long keepAliveMillis;
  private HttpServer server;
  private long ticker;
  private long keepAliveTimer;

  private HermesEmulator(Vertx vertx, List<HermesFeed> feeds, long updateMillis, long keepAliveMillis) {
    this.vertx = vertx;
    this.updateMillis = updateMillis;
    this.keepAliveMillis = keepAliveMillis;
    for (HermesFeed feed : feeds) {
      catalog.put(feed.id(), feed);
      long price = 1_000_000L + Math.abs(feed.id().hashCode() % 10_000_000_000L);
      state.put(feed.id(), new long[] {price, price / 1000, price, System.currentTimeMillis() / 1000 - 1, 100_000_000L});
      latest.put(feed.id(), new LatestPrice(feed.id(), price, System.currentTimeMillis() / 1000 - 1));
    }
  }

  /**
   * @param feeds        the catalog
   * @param updateMillis every feed updates this often (Pyth: 400 ms)
   * @param port         port on 127.0.0.1, 0 for a free one
   */
  public static Future<HermesEmulator> start(Vertx vertx, List<HermesFeed> feeds, long updateMillis, int port) {
    HermesEmulator emulator = new HermesEmulator(vertx, feeds, updateMillis, Math.max(500, Math.min(5_000, updateMillis * 10)));
    emulator.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setMaxInitialLineLength(128 * 1024));
    emulator.server.requestHandler(req -> emulator.handle(req, 0));
    return emulator.server.listen().map(s -> {
      emulator.ticker = vertx.setPeriodic(updateMillis, t -> emulator.tick());
      emulator.keepAliveTimer = vertx.setPeriodic(emulator.keepAliveMillis, t -> emulator.keepAlive());
      return emulator;
    });
  }

  /** @return {@code n} generated feeds with real-looking symbols */
  public static List<HermesFeed> generatedFeeds(int n) {
    List<HermesFeed> feeds = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      String base = "GEN" + i;
      feeds.add(new HermesFeed(String.format("%064x", new java.math.BigInteger(256, r)), "Crypto." + base + "/USD", base, "USD"));
    }
    return feeds;
  }

  /** @return feed id → symbol of the feeds, as a Pyth source's {@code feeds} option takes them */
  public static Map<String, String> symbolsById(List<HermesFeed> feeds) {
    Map<String, String> symbols = new LinkedHashMap<>();
    feeds.forEach(f -> symbols.put(f.id(), f.symbol()));
    return symbols;
  }

  /** @return the feeds of a list in the original shape ({@code [{"id":"0x…","symbol":"Crypto.BTC/USD"}]}) whose id is well formed */
  public static List<HermesFeed> feedsOf(byte[] originalList) {
    try {
      List<HermesFeed> feeds = new ArrayList<>();
      for (var node : JSON.readTree(originalList)) {
        String id = node.path("id").asText().toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
        String symbol = node.path("symbol").asText();
        if (id.matches("[0-9a-f]{64}")) {
          String pair = symbol.contains(".") ? symbol.substring(symbol.indexOf('.') + 1) : symbol;
          String[] parts = pair.split("/", 2);
          feeds.add(new HermesFeed(id, symbol, parts[0], parts.length > 1 ? parts[1] : "USD"));
        }
      }
      return feeds;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a feed list", e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * Starts another provider of the same feeds: its own port and streams, the same prices and publish
   * times at the same moments (the ones {@link #endpoint()} serves), as two Hermes providers relay the
   * same Pyth updates.
   */
  public Future<Provider> addProvider() {
    Provider provider = new Provider(providers.size() + 1);
    providers.add(provider);
    provider.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setMaxInitialLineLength(128 * 1024));
    provider.server.requestHandler(req -> handle(req, provider.index));
    return provider.server.listen().map(provider);
  }

  /** A provider started by {@link #addProvider()}. */
  public final class Provider {
    private final int index;
    private HttpServer server;

    private Provider(int index) {
      this.index = index;
    }

    public String endpoint() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    /** The provider dies: its open streams' connections are cut and new connections are refused. */
    public Future<Void> kill() {
      io.vertx.core.Promise<Void> killed = io.vertx.core.Promise.promise();
      vertx.runOnContext(v -> {
        for (Stream stream : streams) {
          if (stream.provider == index) {
            streams.remove(stream);
            stream.connection.close();
          }
        }
        server.close().onComplete(killed);
      });
      return killed.future();
    }
  }

  /** Hermes' rate limit: above {@code requests} per {@code periodMillis}, 429 and a lockout. */
  public HermesEmulator rateLimit(int requests, long periodMillis, long lockoutMillis) {
    this.budgetRequests = requests;
    this.budgetPeriodMillis = periodMillis;
    this.lockoutMillis = lockoutMillis;
    return this;
  }

  /** Streams are closed after this long (Hermes: 24 hours). */
  public HermesEmulator maxStreamDuration(long millis) {
    this.maxStreamMillis = millis;
    return this;
  }

  /** Lists these feeds in the catalog but refuses them in stream requests, as Hermes does with an id it cannot serve. */
  public HermesEmulator hideFromStreams(String... ids) {
    hiddenFromStreams.addAll(List.of(ids));
    return this;
  }

  /**
   * Requires a Pyth API key (or a node provider's token), as Hermes does since Pyth's 2026 upgrade:
   * {@code Authorization: Bearer <token>} or {@code ACCESS_TOKEN=<token>}; 401 without one, 403 with
   * another. Null lifts the requirement.
   */
  public HermesEmulator requireToken(String token) {
    this.requiredToken = token;
    return this;
  }

  /** The feed stops publishing (its publish time stands still, no update is sent) until {@link #resumeFeed}: a quiet market. */
  public HermesEmulator pauseFeed(String id) {
    pausedFeeds.add(id.toLowerCase(Locale.ROOT).replaceFirst("^0x", ""));
    return this;
  }

  /** The feed publishes again. */
  public HermesEmulator resumeFeed(String id) {
    pausedFeeds.remove(id.toLowerCase(Locale.ROOT).replaceFirst("^0x", ""));
    return this;
  }

  /** Publish times advance by one second per update instead of following the clock, for rate tests faster than 1/s per feed. */
  public HermesEmulator publishTimePerUpdate(boolean perUpdate) {
    this.publishTimePerUpdate = perUpdate;
    return this;
  }

  /** Called with (feed id, publish time) when an update is sent, for latency measurements. */
  public HermesEmulator onEmission(BiConsumer<String, Long> listener) {
    this.emissionListener = listener;
    return this;
  }

  /**
   * Keeps the latest publish time sent per feed, for tests that check every feed's last price arrived.
   * Replaces any listener set with {@link #onEmission}.
   *
   * @return feed id → latest publish time sent, updated as updates are sent
   */
  public Map<String, Long> latestEmissions() {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    onEmission((id, publishTime) -> sent.merge(id, publishTime, Math::max));
    return sent;
  }

  /** Closes every open stream now, as the server does at its time limit. */
  public void closeStreams() {
    vertx.runOnContext(v -> streams.forEach(s -> s.response.end()));
  }

  /** Sends an {@code error} event on every open stream and closes them, as Hermes does to a lagging consumer. */
  public void errorStreams(String message) {
    vertx.runOnContext(v -> streams.forEach(s -> s.response.write("event: error\ndata: " + message + "\n\n").onComplete(ar -> s.response.end())));
  }

  /** Sends nothing (no update, no keep-alive) for this long, keeping the connections open: a silent dead stream. */
  public void stall(long millis) {
    silentUntil = System.currentTimeMillis() + millis;
  }

  /**
   * @return every price stream, unit by unit: the unit is {@link #streamKey} of the stream's feeds, the member the one named
   *     by its {@code User-Agent} ({@code … (member <m>)}); a stream closes when either side ends it
   */
  public ai.pintxo.weaver.testkit.activity.ActivityLog activity() {
    return activity;
  }

  /**
   * A stream's unit key: the same set of feeds gives the same key, whatever the order, case or {@code 0x} of its ids.
   *
   * @return {@code feeds[<n>]:<first 12 hex digits of the SHA-256 of the sorted ids>}
   */
  public static String streamKey(java.util.Collection<String> ids) {
    java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
    ids.forEach(id -> sorted.add(id.toLowerCase(Locale.ROOT).replaceFirst("^0x", "")));
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.join(",", sorted).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "feeds[" + sorted.size() + "]:" + java.util.HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A feed's price as last emitted (or about to be).
   *
   * @param publishTime Unix seconds
   */
  public record LatestPrice(String id, long price, long publishTime) {
  }

  /** @return a feed's price as of its last update, empty for a feed not in the catalog */
  public java.util.Optional<LatestPrice> latest(String id) {
    return java.util.Optional.ofNullable(latest.get(id.toLowerCase(Locale.ROOT).replaceFirst("^0x", "")));
  }

  /** @return requests served */
  public long requests() {
    return requests.get();
  }

  /** @return requests answered 429 */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** @return stream events sent */
  public long eventsSent() {
    return events.get();
  }

  /** @return streams open now */
  public int openStreams() {
    return streams.size();
  }

  public Future<Void> close() {
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(keepAliveTimer);
    List<Future<Void>> closed = new ArrayList<>();
    closed.add(server.close());
    providers.forEach(p -> closed.add(p.server.close()));
    return Future.join(closed).mapEmpty();
  }

  private void handle(HttpServerRequest req, int provider) {
    requests.incrementAndGet();
    if (!admit()) {
      rateLimited.incrementAndGet();
      req.response().setStatusCode(429).putHeader("Retry-After", Long.toString(Math.max(1, (lockedUntil - System.currentTimeMillis()) / 1000)))
          .end("Too Many Requests");
      return;
    }
    String token = requiredToken;
    if (token != null && !("Bearer " + token).equals(req.getHeader("Authorization")) && !token.equals(req.getParam("ACCESS_TOKEN"))) {
      boolean offered = req.getHeader("Authorization") != null || req.getParam("ACCESS_TOKEN") != null;
      req.response().setStatusCode(offered ? 403 : 401).end(offered ? "Not entitled: invalid API key" : "unauthorized");
      return;
    }
    String path = req.path();
    if (path.equals("/v2/price_feeds")) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      catalog.values().forEach(f -> {
        ObjectNode feed = out.addObject().put("id", f.id());
        feed.putObject("attributes").put("asset_type", "Crypto").put("base", f.base()).put("quote_currency", f.quote())
            .put("symbol", f.symbol()).put("generic_symbol", f.base() + f.quote()).put("description", f.base() + " / " + f.quote());
      });
      json(req, 200, out.toString());
      return;
    }
    List<String> ids = req.params().getAll("ids[]");
    boolean ignoreInvalid = "true".equals(req.getParam("ignore_invalid_price_ids"));
    boolean stream = path.equals("/v2/updates/price/stream");
    List<String> unknown = new ArrayList<>();
    List<String> wanted = new ArrayList<>();
    for (String raw : ids) {
      String id = raw.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
      if (!catalog.containsKey(id) || (stream && hiddenFromStreams.contains(id))) {
        unknown.add(raw);
      } else {
        wanted.add(id);
      }
    }
    if (!unknown.isEmpty() && !ignoreInvalid) {
      req.response().setStatusCode(400).putHeader("Content-Type", "text/plain").end("Price ids not found: " + unknown);
      return;
    }
    if (wanted.isEmpty() && !path.equals("/v2/price_feeds")) {
      req.response().setStatusCode(400).end("Missing ids[] query parameter");
      return;
    }
    if (stream) {
      HttpServerResponse response = req.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      response.write(":\n"); // headers and a first keep-alive go out at once
      Stream s = new Stream(response, req.connection(), provider, Set.copyOf(wanted), System.currentTimeMillis());
      streams.add(s);
      long handle = activity.open(streamKey(wanted), ai.pintxo.weaver.testkit.activity.ActivityLog.memberOf(req.getHeader("User-Agent")));
      response.closeHandler(v -> {
        streams.remove(s);
        activity.close(handle);
      });
      response.endHandler(v -> {
        streams.remove(s);
        activity.close(handle);
      });
      return;
    }
    if (path.equals("/v2/updates/price/latest") || path.startsWith("/v2/updates/price/")) {
      json(req, 200, updates(wanted).toString());
      return;
    }
    req.response().setStatusCode(404).end("Not Found");
  }

  private synchronized boolean admit() {
    long now = System.currentTimeMillis();
    if (now < lockedUntil) {
      return false;
    }
    recent.removeIf(t -> now - t >= budgetPeriodMillis);
    if (recent.size() >= budgetRequests) {
      lockedUntil = now + lockoutMillis;
      return false;
    }
    recent.add(now);
    return true;
  }

  private void tick() {
    long now = System.currentTimeMillis();
    List<String> updated = new ArrayList<>();
    for (Map.Entry<String, long[]> e : state.entrySet()) {
      if (pausedFeeds.contains(e.getKey())) {
        continue;
      }
      long[] s = e.getValue();
      long publishTime = publishTimePerUpdate ? s[3] + 1 : now / 1000;
      if (publishTime <= s[3]) {
        continue; // Hermes sends a feed again only once its publish time moved on
      }
      s[0] = Math.max(1, s[0] + (long) (random.nextGaussian() * s[0] / 1000));
      s[1] = Math.max(1, s[0] / 1000 + random.nextInt(100));
      s[2] = (s[2] * 9 + s[0]) / 10;
      s[3] = publishTime;
      s[4]++;
      updated.add(e.getKey());
      latest.put(e.getKey(), new LatestPrice(e.getKey(), s[0], s[3]));
    }
    if (now < silentUntil) {
      return;
    }
    for (Stream stream : streams) {
      if (now - stream.openedAt >= maxStreamMillis) {
        stream.response.end(); // Hermes closes every stream after its maximum duration
        continue;
      }
      List<String> mine = new ArrayList<>();
      for (String id : updated) {
        if (stream.ids.contains(id)) {
          mine.add(id);
        }
      }
      if (mine.isEmpty()) {
        continue;
      }
      if (stream.response.writeQueueFull()) {
        // Hermes disconnects a consumer its broadcast channel leaves behind.
        stream.response.write("event: error\ndata: Slow consumer: the stream lagged behind and was closed\n\n");
        stream.response.end();
        continue;
      }
      stream.response.write("data:" + updates(mine) + "\n\n");
      events.incrementAndGet();
      for (String id : mine) {
        emissionListener.accept(id, state.get(id)[3]);
      }
    }
  }

  private void keepAlive() {
    if (System.currentTimeMillis() >= silentUntil) {
      streams.forEach(s -> s.response.write(":\n"));
    }
  }

  private ObjectNode updates(List<String> ids) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode binary = out.putObject("binary").put("encoding", "hex");
    ArrayNode data = binary.putArray("data");
    data.add("504e4155" + "0".repeat(64));
    ArrayNode parsed = out.putArray("parsed");
    for (String id : ids) {
      long[] s = state.get(id);
      ObjectNode u = parsed.addObject().put("id", id);
      u.putObject("price").put("price", Long.toString(s[0])).put("conf", Long.toString(s[1])).put("expo", -8).put("publish_time", s[3]);
      u.putObject("ema_price").put("price", Long.toString(s[2])).put("conf", Long.toString(s[1] + 7)).put("expo", -8).put("publish_time", s[3]);
      u.putObject("metadata").put("slot", s[4]).put("proof_available_time", s[3]).put("prev_publish_time", s[3] - 1);
    }
    return out;
  }

  private static void json(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
  }

  /** @return the catalog */
  public Map<String, HermesFeed> catalog() {
    return Collections.unmodifiableMap(catalog);
  }

  private record Stream(HttpServerResponse response, io.vertx.core.http.HttpConnection connection, int provider, Set<String> ids,
                        long openedAt) {
  }
}
