package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.cluster.ClusterOptions;
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
public final class ApiPollerOptions extends Options<ApiPollerOptions> {

  /** The original polled once a day. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
  /** Large DefiLlama payloads take a while on slow links. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
  /** DefiLlama pools is about 11 MB; leave room for growth, refuse the absurd. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 256L << 20;
  /** Records produced per batch before waiting for the broker's acknowledgements. */
  public static final int DEFAULT_PRODUCE_BATCH = 1000;
  /** Extra requests of a poll after transient failures (transport error, timeout, 429, 5xx) before waiting for the next poll. */
  public static final int DEFAULT_RETRIES = 3;
  /** First retry delay; doubles with each attempt. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(30);
  /** Compacted topic holding, per record key, the hash of the last value produced (change-only feeding). */
  public static final String DEFAULT_STATE_TOPIC = "weaver-poller-state";
  /** Budget of a host no endpoint sets one for; GeckoTerminal's free API allows 30 calls a minute. */
  public static final EndpointOptions.RateLimit DEFAULT_RATE_LIMIT = new EndpointOptions.RateLimit(30, Duration.ofMinutes(1));

  public static final OptionSpec<ApiPollerOptions> SPEC = new OptionSpec<>("config",
      "ApiPollerVerticle: polls REST endpoints into <dataType>-api-topic", ApiPollerOptions::new);
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);
  static final Option<String> ENDPOINTS_FILE = SPEC.optional("endpointsFile", OptionTypes.nonBlank(),
      "the original endpoints.json (relative to the deployment file)");
  static final Option<List<EndpointOptions>> ENDPOINTS = SPEC.option("endpoints", OptionTypes.optionsList(EndpointOptions.SPEC),
      List.of(), "endpoints inline, in the endpoints file's shape");
  static final Option<Duration> DEFAULT_INTERVAL_OPTION = SPEC.option("defaultInterval", OptionTypes.duration(), DEFAULT_INTERVAL,
      "how often an endpoint without interval or cron is polled");
  static final Option<Duration> REQUEST_TIMEOUT = SPEC.option("requestTimeout", OptionTypes.duration(), DEFAULT_REQUEST_TIMEOUT,
      "time limit of one request, from sending it to the last byte of its response");
  static final Option<Long> MAX_RESPONSE_BYTES = SPEC.option("maxResponseBytes", OptionTypes.longValue(1024, Long.MAX_VALUE),
      DEFAULT_MAX_RESPONSE_BYTES, "larger responses are refused");
  static final Option<Integer> PRODUCE_BATCH = SPEC.option("produceBatch", OptionTypes.integer(1, 100_000), DEFAULT_PRODUCE_BATCH,
      "records sent and not yet acknowledged before the response is paused");
  static final Option<String> USER_AGENT = SPEC.option("userAgent", OptionTypes.nonBlank(), "pintxo-data-weaver", "the User-Agent header");
  static final Option<Integer> RETRIES = SPEC.option("retries", OptionTypes.integer(0, 100), DEFAULT_RETRIES,
      "extra requests a poll may make after transient failures (transport error, timeout, 429, 5xx), counted once per poll");
  static final Option<Duration> RETRY_BACKOFF = SPEC.option("retryBackoff", OptionTypes.duration(), DEFAULT_RETRY_BACKOFF,
      "first retry delay; doubles with each attempt");
  static final Option<Boolean> CHANGE_ONLY = SPEC.option("changeOnly", OptionTypes.bool(), true,
      "leave out a record identical to the last one produced for its key");
  static final Option<String> STATE_TOPIC = SPEC.option("stateTopic", OptionTypes.nonBlank(), DEFAULT_STATE_TOPIC,
      "compacted topic remembering what was produced (change-only feeding across restarts)");
  static final Option<RateLimitOptions> DEFAULT_RATE_LIMIT_OPTION = SPEC.option("defaultRateLimit", OptionTypes.options(RateLimitOptions.SPEC),
      new RateLimitOptions(DEFAULT_RATE_LIMIT), "the budget of hosts no endpoint sets one for");

  static {
    SPEC.rule(o -> {
      if (o.getEndpointsFile() == null && o.getEndpoints().isEmpty()) {
        throw new ConfigException(o.key("endpoints"), "no endpoints: set endpointsFile or list endpoints");
      }
    });
  }

  public ApiPollerOptions() {
    super(SPEC);
  }

  /**
   * Reads and validates a config object. An {@code endpointsFile} is only recorded here; the
   * verticle reads it without blocking at start, {@link #withEndpointsFile} reads it now.
   *
   * @throws ConfigException naming the bad key
   */
  public ApiPollerOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
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
      throw new ConfigException(path, "not a JSON array of endpoints: " + ai.pintxo.weaver.config.JsonErrors.describe(e));
    }
    List<EndpointOptions> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(path + "[" + i + "]", "expected an endpoint object");
      }
      EndpointOptions endpoint = new EndpointOptions(o, path + "[" + i + "]");
      // The same URL twice polls it twice per interval into the same topic: a copy-paste slip, not a wish.
      for (int j = 0; j < out.size(); j++) {
        if (out.get(j).getEndpoint().equals(endpoint.getEndpoint()) && out.get(j).getDataType().equals(endpoint.getDataType())) {
          throw new ConfigException(path + "[" + i + "].endpoint", "'" + endpoint.getEndpoint() + "' is listed twice (also at [" + j + "])");
        }
      }
      out.add(endpoint);
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
    String endpointsFile = getEndpointsFile();
    if (endpointsFile == null) {
      return this;
    }
    Buffer content;
    try {
      content = Buffer.buffer(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(endpointsFile)));
    } catch (java.io.IOException e) {
      throw new ConfigException(key, "cannot read '" + endpointsFile + "': " + e);
    }
    List<EndpointOptions> endpoints = new ArrayList<>(getEndpoints());
    endpoints.addAll(parseEndpointsFile(content, endpointsFile));
    return copy().setEndpoints(endpoints).setEndpointsFile(null);
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  /** @return how this pipeline shares its units with other processes */
  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public ApiPollerOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public ApiPollerOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }

  public String getEndpointsFile() {
    return get(ENDPOINTS_FILE);
  }

  public ApiPollerOptions setEndpointsFile(String endpointsFile) {
    return set(ENDPOINTS_FILE, endpointsFile);
  }

  public List<EndpointOptions> getEndpoints() {
    return get(ENDPOINTS);
  }

  public ApiPollerOptions setEndpoints(List<EndpointOptions> endpoints) {
    return set(ENDPOINTS, new ArrayList<>(endpoints));
  }

  public ApiPollerOptions addEndpoint(EndpointOptions endpoint) {
    List<EndpointOptions> endpoints = new ArrayList<>(getEndpoints());
    endpoints.add(endpoint);
    return set(ENDPOINTS, endpoints);
  }

  public Duration getDefaultInterval() {
    return get(DEFAULT_INTERVAL_OPTION);
  }

  public ApiPollerOptions setDefaultInterval(Duration defaultInterval) {
    return set(DEFAULT_INTERVAL_OPTION, defaultInterval);
  }

  public Duration getRequestTimeout() {
    return get(REQUEST_TIMEOUT);
  }

  public ApiPollerOptions setRequestTimeout(Duration requestTimeout) {
    return set(REQUEST_TIMEOUT, requestTimeout);
  }

  public long getMaxResponseBytes() {
    return get(MAX_RESPONSE_BYTES);
  }

  public ApiPollerOptions setMaxResponseBytes(long maxResponseBytes) {
    return set(MAX_RESPONSE_BYTES, maxResponseBytes);
  }

  public int getProduceBatch() {
    return get(PRODUCE_BATCH);
  }

  public ApiPollerOptions setProduceBatch(int produceBatch) {
    return set(PRODUCE_BATCH, produceBatch);
  }

  public String getUserAgent() {
    return get(USER_AGENT);
  }

  public ApiPollerOptions setUserAgent(String userAgent) {
    return set(USER_AGENT, userAgent);
  }

  public int getRetries() {
    return get(RETRIES);
  }

  public ApiPollerOptions setRetries(int retries) {
    return set(RETRIES, retries);
  }

  public Duration getRetryBackoff() {
    return get(RETRY_BACKOFF);
  }

  public ApiPollerOptions setRetryBackoff(Duration retryBackoff) {
    return set(RETRY_BACKOFF, retryBackoff);
  }

  /** @return whether a record identical to the last one produced for its key is left out */
  public boolean isChangeOnly() {
    return get(CHANGE_ONLY);
  }

  public ApiPollerOptions setChangeOnly(boolean changeOnly) {
    return set(CHANGE_ONLY, changeOnly);
  }

  /** @return the compacted topic that remembers what was produced, so change-only feeding survives restarts */
  public String getStateTopic() {
    return get(STATE_TOPIC);
  }

  public ApiPollerOptions setStateTopic(String stateTopic) {
    return set(STATE_TOPIC, stateTopic);
  }

  /** @return the request budget of hosts no endpoint sets one for */
  public EndpointOptions.RateLimit getDefaultRateLimit() {
    return get(DEFAULT_RATE_LIMIT_OPTION).toRateLimit();
  }

  public ApiPollerOptions setDefaultRateLimit(EndpointOptions.RateLimit defaultRateLimit) {
    return set(DEFAULT_RATE_LIMIT_OPTION, new RateLimitOptions(defaultRateLimit));
  }
}
