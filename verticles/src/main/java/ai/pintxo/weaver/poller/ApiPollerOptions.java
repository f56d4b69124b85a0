package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of {@link ApiPollerVerticle}: the endpoints (inline, or an endpoints file of the
 * original shape), the default polling interval, request limits, change-only feeding and Kafka.
 * {@code produceBatch} bounds the records sent and not yet acknowledged (the HTTP response is paused
 * above it) and is also how many records are held back until a response has proven readable: a
 * response smaller than that is produced all or nothing.
 */
public final class ApiPollerOptions {

  /** The original polled once a day. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
  /** Large DefiLlama payloads take a while on slow links. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
  /** DefiLlama pools is about 11 MB; leave room for growth, refuse the absurd. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 256L << 20;
  /** Records produced per batch before waiting for the broker's acknowledgements. */
  public static final int DEFAULT_PRODUCE_BATCH = 1000;
  /** Extra attempts after a transient failure (transport error, 429, 5xx) before waiting for the next interval. */
  public static final int DEFAULT_RETRIES = 3;
  /** First retry delay; doubles with each attempt. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(30);
  /** Compacted topic holding, per record key, the hash of the last value produced (change-only feeding). */
  public static final String DEFAULT_STATE_TOPIC = "weaver-poller-state";
  /** Budget of a host no endpoint sets one for; GeckoTerminal's free API allows 30 calls a minute. */
  public static final EndpointOptions.RateLimit DEFAULT_RATE_LIMIT = new EndpointOptions.RateLimit(30, Duration.ofMinutes(1));

  private KafkaOptions kafka = new KafkaOptions();
  private String endpointsFile;
  private List<EndpointOptions> endpoints = new ArrayList<>();
  private Duration defaultInterval = DEFAULT_INTERVAL;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  private int produceBatch = DEFAULT_PRODUCE_BATCH;
  private String userAgent = "pintxo-data-weaver";
  private int retries = DEFAULT_RETRIES;
  private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
  private boolean changeOnly = true;
  private String stateTopic = DEFAULT_STATE_TOPIC;
  private EndpointOptions.RateLimit defaultRateLimit = DEFAULT_RATE_LIMIT;

  public ApiPollerOptions() {
  }

  /**
   * Reads and validates a config object. An {@code endpointsFile} is only recorded here; the
   * verticle reads it without blocking at start, {@link #withEndpointsFile} reads it now.
   *
   * @throws ConfigException naming the bad key
   */
  public ApiPollerOptions(JsonObject json) {
    this(ConfigReader.of(json, "config"));
  }

  public ApiPollerOptions(ConfigReader config) {
    ConfigReader kafkaConfig = config.object("kafka");
    kafka = new KafkaOptions(kafkaConfig);
    kafkaConfig.finish();
    endpointsFile = config.string("endpointsFile", null);
    for (ConfigReader endpoint : config.objects("endpoints")) {
      endpoints.add(new EndpointOptions(endpoint, ApiHandlers.installed()));
    }
    defaultInterval = config.duration("defaultInterval", DEFAULT_INTERVAL);
    requestTimeout = config.duration("requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    maxResponseBytes = config.longValue("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES, 1024, Long.MAX_VALUE);
    produceBatch = config.integer("produceBatch", DEFAULT_PRODUCE_BATCH, 1, 100_000);
    userAgent = config.string("userAgent", userAgent);
    retries = config.integer("retries", DEFAULT_RETRIES, 0, 100);
    retryBackoff = config.duration("retryBackoff", DEFAULT_RETRY_BACKOFF);
    changeOnly = config.bool("changeOnly", true);
    stateTopic = config.string("stateTopic", DEFAULT_STATE_TOPIC);
    if (stateTopic.isBlank()) {
      throw new ConfigException(config.key("stateTopic"), "must not be blank");
    }
    if (config.has("defaultRateLimit")) {
      ConfigReader limit = config.object("defaultRateLimit");
      if (!limit.has("requests")) {
        throw new ConfigException(limit.key("requests"), "is required");
      }
      defaultRateLimit = new EndpointOptions.RateLimit(limit.integer("requests", 1, 1, 1_000_000),
          limit.duration("period", Duration.ofMinutes(1)));
      limit.finish();
    }
    config.finish();
    if (endpointsFile == null && endpoints.isEmpty()) {
      throw new ConfigException(config.key("endpoints"), "no endpoints: set endpointsFile or list endpoints");
    }
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    endpoints.forEach(e -> list.add(e.toJson()));
    JsonObject json = new JsonObject()
        .put("kafka", kafka.toJson())
        .put("endpoints", list)
        .put("defaultInterval", Durations.format(defaultInterval))
        .put("requestTimeout", Durations.format(requestTimeout))
        .put("maxResponseBytes", maxResponseBytes)
        .put("produceBatch", produceBatch)
        .put("userAgent", userAgent)
        .put("retries", retries)
        .put("retryBackoff", Durations.format(retryBackoff))
        .put("changeOnly", changeOnly)
        .put("stateTopic", stateTopic)
        .put("defaultRateLimit", new JsonObject().put("requests", defaultRateLimit.requests())
            .put("period", Durations.format(defaultRateLimit.period())));
    if (endpointsFile != null) {
      json.put("endpointsFile", endpointsFile);
    }
    return json;
  }

  /**
   * Parses an endpoints file (a JSON array of endpoint objects, the original's {@code endpoints.json}).
   *
   * @param content the file's bytes
   * @param path    the file's path, for messages
   * @return the endpoints
   * @throws ConfigException naming the file and the bad entry
   */
  public static List<EndpointOptions> parseEndpointsFile(Buffer content, String path) {
    JsonArray array;
    try {
      array = new JsonArray(content);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(path, "not a JSON array of endpoints: " + e.getMessage());
    }
    List<EndpointOptions> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(path + "[" + i + "]", "expected an endpoint object");
      }
      out.add(new EndpointOptions(ConfigReader.of(o, path + "[" + i + "]"), ApiHandlers.installed()));
    }
    return out;
  }

  /**
   * Reads the endpoints file now (blocking; call it off the event loop, e.g. at start-up) and
   * returns options holding its endpoints inline.
   */
  public ApiPollerOptions withEndpointsFile() {
    return withEndpointsFile("endpointsFile");
  }

  /**
   * @param key the full key of {@code endpointsFile}, for the error when the file cannot be read
   */
  public ApiPollerOptions withEndpointsFile(String key) {
    if (endpointsFile == null) {
      return this;
    }
    Buffer content;
    try {
      content = Buffer.buffer(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(endpointsFile)));
    } catch (java.io.IOException e) {
      throw new ConfigException(key, "cannot read '" + endpointsFile + "': " + e);
    }
    ApiPollerOptions copy = copy();
    copy.endpoints.addAll(parseEndpointsFile(content, endpointsFile));
    copy.endpointsFile = null;
    return copy;
  }

  private ApiPollerOptions copy() {
    ApiPollerOptions copy = new ApiPollerOptions();
    copy.kafka = new KafkaOptions(kafka);
    copy.endpointsFile = endpointsFile;
    copy.endpoints = new ArrayList<>(endpoints);
    copy.defaultInterval = defaultInterval;
    copy.requestTimeout = requestTimeout;
    copy.maxResponseBytes = maxResponseBytes;
    copy.produceBatch = produceBatch;
    copy.userAgent = userAgent;
    copy.retries = retries;
    copy.retryBackoff = retryBackoff;
    copy.changeOnly = changeOnly;
    copy.stateTopic = stateTopic;
    copy.defaultRateLimit = defaultRateLimit;
    return copy;
  }

  public KafkaOptions getKafka() {
    return kafka;
  }

  public ApiPollerOptions setKafka(KafkaOptions kafka) {
    this.kafka = kafka;
    return this;
  }

  public String getEndpointsFile() {
    return endpointsFile;
  }

  public ApiPollerOptions setEndpointsFile(String endpointsFile) {
    this.endpointsFile = endpointsFile;
    return this;
  }

  public List<EndpointOptions> getEndpoints() {
    return endpoints;
  }

  public ApiPollerOptions setEndpoints(List<EndpointOptions> endpoints) {
    this.endpoints = new ArrayList<>(endpoints);
    return this;
  }

  public ApiPollerOptions addEndpoint(EndpointOptions endpoint) {
    this.endpoints.add(endpoint);
    return this;
  }

  public Duration getDefaultInterval() {
    return defaultInterval;
  }

  public ApiPollerOptions setDefaultInterval(Duration defaultInterval) {
    this.defaultInterval = defaultInterval;
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public ApiPollerOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  public long getMaxResponseBytes() {
    return maxResponseBytes;
  }

  public ApiPollerOptions setMaxResponseBytes(long maxResponseBytes) {
    this.maxResponseBytes = maxResponseBytes;
    return this;
  }

  public int getProduceBatch() {
    return produceBatch;
  }

  public ApiPollerOptions setProduceBatch(int produceBatch) {
    this.produceBatch = produceBatch;
    return this;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public ApiPollerOptions setUserAgent(String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public int getRetries() {
    return retries;
  }

  public ApiPollerOptions setRetries(int retries) {
    this.retries = retries;
    return this;
  }

  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  public ApiPollerOptions setRetryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
    return this;
  }

  /** @return whether a record identical to the last one produced for its key is left out */
  public boolean isChangeOnly() {
    return changeOnly;
  }

  public ApiPollerOptions setChangeOnly(boolean changeOnly) {
    this.changeOnly = changeOnly;
    return this;
  }

  /** @return the compacted topic that remembers what was produced, so change-only feeding survives restarts */
  public String getStateTopic() {
    return stateTopic;
  }

  public ApiPollerOptions setStateTopic(String stateTopic) {
    this.stateTopic = stateTopic;
    return this;
  }

  /** @return the request budget of hosts no endpoint sets one for */
  public EndpointOptions.RateLimit getDefaultRateLimit() {
    return defaultRateLimit;
  }

  public ApiPollerOptions setDefaultRateLimit(EndpointOptions.RateLimit defaultRateLimit) {
    this.defaultRateLimit = defaultRateLimit;
    return this;
  }
}
