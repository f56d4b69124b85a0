package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.realtime.StreamOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of {@link PythVerticle}: Hermes, the feeds (inline, or a file of the original
 * {@code [{"id", "symbol"}]} shape), stream resilience, the request budget and conflation.
 */
public final class PythOptions {

  public static final String DEFAULT_ENDPOINT = "https://hermes.pyth.network";
  /** About 7 KB of {@code ids[]=} per URL, within common URL length limits. */
  public static final int DEFAULT_MAX_FEEDS_PER_STREAM = 100;
  /** At most one price per feed per second reaches Kafka by default. */
  public static final Duration DEFAULT_CONFLATION_INTERVAL = Duration.ofSeconds(1);
  /** Hermes' public limit since May 2026: 10 requests per 10 s per IP. */
  public static final int DEFAULT_REQUESTS_PER_PERIOD = 10;
  public static final Duration DEFAULT_REQUEST_PERIOD = Duration.ofSeconds(10);

  private KafkaOptions kafka = new KafkaOptions();
  private String endpoint = DEFAULT_ENDPOINT;
  private String feedsFile;
  private Map<String, String> feeds = new LinkedHashMap<>();
  private int maxFeedsPerStream = DEFAULT_MAX_FEEDS_PER_STREAM;
  private Duration conflationInterval = DEFAULT_CONFLATION_INTERVAL;
  private String accessToken;
  private String accessTokenMode = "header";
  private int requestsPerPeriod = DEFAULT_REQUESTS_PER_PERIOD;
  private Duration requestPeriod = DEFAULT_REQUEST_PERIOD;
  private StreamOptions stream = StreamOptions.DEFAULTS;

  public PythOptions() {
  }

  /** @throws ConfigException naming the bad key */
  public PythOptions(JsonObject json) {
    this(ConfigReader.of(json, "config"));
  }

  /** @throws ConfigException naming the bad key */
  public PythOptions(ConfigReader config) {
    ConfigReader kafkaConfig = config.object("kafka");
    kafka = new KafkaOptions(kafkaConfig);
    kafkaConfig.finish();
    endpoint = trim(config.httpUrl("endpoint", DEFAULT_ENDPOINT));
    feedsFile = config.string("feedsFile", null);
    for (ConfigReader feed : config.objects("feeds")) {
      feeds.put(feed.requiredString("id"), feed.string("symbol", ""));
      feed.finish();
    }
    if (feedsFile == null && feeds.isEmpty()) {
      throw new ConfigException(config.key("feeds"), "no feeds: set feedsFile or list feeds");
    }
    maxFeedsPerStream = config.integer("maxFeedsPerStream", DEFAULT_MAX_FEEDS_PER_STREAM, 1, 1000);
    Object conflation = config.raw().getValue("conflationInterval");
    conflationInterval = conflation != null && String.valueOf(conflation).trim().matches("0(ms|s)?")
        ? Duration.ZERO : config.duration("conflationInterval", DEFAULT_CONFLATION_INTERVAL);
    config.has("conflationInterval");
    accessToken = config.string("accessToken", null);
    accessTokenMode = config.string("accessTokenMode", "header");
    if (!accessTokenMode.equals("header") && !accessTokenMode.equals("query")) {
      throw new ConfigException(config.key("accessTokenMode"), "must be \"header\" (Authorization: Bearer) or \"query\" (ACCESS_TOKEN=), was \""
          + accessTokenMode + "\"");
    }
    requestsPerPeriod = config.integer("requestsPerPeriod", DEFAULT_REQUESTS_PER_PERIOD, 1, 100_000);
    requestPeriod = config.duration("requestPeriod", DEFAULT_REQUEST_PERIOD);
    stream = StreamOptions.read(config);
    config.finish();
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    feeds.forEach((id, symbol) -> list.add(new JsonObject().put("id", id).put("symbol", symbol)));
    JsonObject json = new JsonObject()
        .put("kafka", kafka.toJson())
        .put("endpoint", endpoint)
        .put("feeds", list)
        .put("maxFeedsPerStream", maxFeedsPerStream)
        .put("conflationInterval", conflationInterval.isZero() ? "0" : Durations.format(conflationInterval))
        .put("accessTokenMode", accessTokenMode)
        .put("requestsPerPeriod", requestsPerPeriod)
        .put("requestPeriod", Durations.format(requestPeriod));
    stream.writeTo(json);
    if (feedsFile != null) {
      json.put("feedsFile", feedsFile);
    }
    if (accessToken != null) {
      json.put("accessToken", accessToken);
    }
    return json;
  }

  /**
   * Parses a feeds file: a JSON array of {@code {"id": "0x…", "symbol": "Crypto.BTC/USD"}}.
   *
   * @return id → symbol, in file order
   * @throws ConfigException naming the file and entry
   */
  public static Map<String, String> parseFeedsFile(Buffer content, String path) {
    JsonArray array;
    try {
      array = new JsonArray(content);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(path, "not a JSON array of feeds: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o) || !(o.getValue("id") instanceof String id)) {
        throw new ConfigException(path + "[" + i + "]", "expected {\"id\": \"0x…\", \"symbol\": \"…\"}");
      }
      out.put(id, o.getValue("symbol") instanceof String s ? s : "");
    }
    return out;
  }

  public KafkaOptions getKafka() {
    return kafka;
  }

  public PythOptions setKafka(KafkaOptions kafka) {
    this.kafka = kafka;
    return this;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public PythOptions setEndpoint(String endpoint) {
    this.endpoint = trim(endpoint);
    return this;
  }

  public String getFeedsFile() {
    return feedsFile;
  }

  public PythOptions setFeedsFile(String feedsFile) {
    this.feedsFile = feedsFile;
    return this;
  }

  public Map<String, String> getFeeds() {
    return feeds;
  }

  /** @param feeds id → symbol */
  public PythOptions setFeeds(Map<String, String> feeds) {
    this.feeds = new LinkedHashMap<>(feeds);
    return this;
  }

  public int getMaxFeedsPerStream() {
    return maxFeedsPerStream;
  }

  public PythOptions setMaxFeedsPerStream(int maxFeedsPerStream) {
    this.maxFeedsPerStream = maxFeedsPerStream;
    return this;
  }

  public Duration getConflationInterval() {
    return conflationInterval;
  }

  /** At most one update per feed per interval reaches Kafka, the latest; {@link Duration#ZERO} lets all through. */
  public PythOptions setConflationInterval(Duration conflationInterval) {
    this.conflationInterval = conflationInterval;
    return this;
  }

  public String getAccessToken() {
    return accessToken;
  }

  /** A node provider's access token; supply it from the environment. */
  public PythOptions setAccessToken(String accessToken) {
    this.accessToken = accessToken;
    return this;
  }

  public String getAccessTokenMode() {
    return accessTokenMode;
  }

  public PythOptions setAccessTokenMode(String accessTokenMode) {
    this.accessTokenMode = accessTokenMode;
    return this;
  }

  public int getRequestsPerPeriod() {
    return requestsPerPeriod;
  }

  public Duration getRequestPeriod() {
    return requestPeriod;
  }

  /** The request budget Hermes allows this client: {@code requests} per {@code period}. */
  public PythOptions setRequestBudget(int requests, Duration period) {
    this.requestsPerPeriod = requests;
    this.requestPeriod = period;
    return this;
  }

  public StreamOptions getStream() {
    return stream;
  }

  public PythOptions setStream(StreamOptions stream) {
    this.stream = stream;
    return this;
  }
}
