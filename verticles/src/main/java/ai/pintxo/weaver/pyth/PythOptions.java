package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.kafka.TopicProfile;
import ai.pintxo.weaver.realtime.StreamOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of {@link PythVerticle}: Hermes, the feeds (inline, or a file of the original
 * {@code [{"id", "symbol"}]} shape), stream resilience, the request budget and conflation.
 */
public final class PythOptions extends Options<PythOptions> {

  /**
   * The upgraded Hermes endpoint of Pyth's Core upgrade guide (docs.pyth.network, "Preparing for the Pyth
   * Core upgrade"): the same API as before, with a Pyth API key required.
   */
  public static final String DEFAULT_ENDPOINT = "https://pyth.dourolabs.app/hermes";
  /** The environment variable Pyth's own examples read the key from. */
  public static final String DEFAULT_API_KEY_ENV = "PYTH_API_KEY";
  /** A feed without a new publish time for a minute is stale (Pyth Core updates every 400 ms to 1 s). */
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(1);
  /** About 7 KB of {@code ids[]=} per URL, within common URL length limits. */
  public static final int DEFAULT_MAX_FEEDS_PER_STREAM = 100;
  /** At most one price per feed per second reaches Kafka by default. */
  public static final Duration DEFAULT_CONFLATION_INTERVAL = Duration.ofSeconds(1);
  /** Hermes' public limit since May 2026: 10 requests per 10 s per IP. */
  public static final int DEFAULT_REQUESTS_PER_PERIOD = 10;
  public static final Duration DEFAULT_REQUEST_PERIOD = Duration.ofSeconds(10);

  public static final OptionSpec<PythOptions> SPEC = new OptionSpec<>("config",
      "PythVerticle: streams prices from Pyth's Hermes (server-sent events) to pyth-price-topic", PythOptions::new);
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);
  static final Option<String> ENDPOINT = SPEC.option("endpoint", OptionTypes.baseUrl(), DEFAULT_ENDPOINT,
      "Hermes (Pyth's upgraded endpoint), or a node provider's; one provider: the same as endpoints: [<it>]");
  static final Option<List<String>> ENDPOINTS = SPEC.option("endpoints", OptionTypes.stringList(), List.of(),
      "several Hermes providers streamed at once (each unit's feeds from every one), deduplicated by (feed, publish time); "
          + "replaces endpoint");
  static final Option<String> FEEDS_FILE = SPEC.optional("feedsFile", OptionTypes.nonBlank(),
      "the original [{\"id\", \"symbol\"}] list as a file (relative to the deployment file)");
  static final Option<List<PythFeedOptions>> FEEDS = SPEC.option("feeds", OptionTypes.optionsList(PythFeedOptions.SPEC), List.of(),
      "the feeds inline, in the feeds file's shape");
  static final Option<Integer> MAX_FEEDS_PER_STREAM = SPEC.option("maxFeedsPerStream", OptionTypes.integer(1, 1000),
      DEFAULT_MAX_FEEDS_PER_STREAM, "feeds per stream: long ids[] lists hit URL limits, so feeds are split over streams");
  static final Option<Duration> CONFLATION_INTERVAL = SPEC.option("conflationInterval", OptionTypes.durationOrZero(),
      DEFAULT_CONFLATION_INTERVAL, "at most one update per feed per interval reaches Kafka (latest wins); 0 lets all through");
  /** Live prices: the price topic travels in the latency profile unless set otherwise. */
  static final Option<TopicProfile> PROFILE = TopicProfile.declareIn(SPEC, TopicProfile.LATENCY);
  static final Option<String> API_KEY_ENV = SPEC.option("apiKeyEnv", OptionTypes.nonBlank(), DEFAULT_API_KEY_ENV,
      "environment variable holding the Pyth API key, sent as Authorization: Bearer to every endpoint");
  static final Option<String> ACCESS_TOKEN = SPEC.environmentSecret("accessToken",
      "the key itself, instead of apiKeyEnv's variable: set it from the environment (WEAVER_VERTICLES__<NAME>__CONFIG__ACCESS_TOKEN)");
  static final Option<String> ACCESS_TOKEN_MODE = SPEC.option("accessTokenMode", OptionTypes.oneOf("header", "query"), "header",
      "how the token is sent: Authorization: Bearer, or the ACCESS_TOKEN= query parameter");
  static final Option<Integer> REQUESTS_PER_PERIOD = SPEC.option("requestsPerPeriod", OptionTypes.integer(1, 100_000),
      DEFAULT_REQUESTS_PER_PERIOD, "requests to the host per requestPeriod, shared by every request to it");
  static final Option<Duration> REQUEST_PERIOD = SPEC.option("requestPeriod", OptionTypes.duration(), DEFAULT_REQUEST_PERIOD,
      "the period of the request budget");
  static final Option<Duration> MAX_STALENESS = SPEC.option("maxStaleness", OptionTypes.durationOrZero(), DEFAULT_MAX_STALENESS,
      "a feed whose latest publish time is older is marked stale (metric, price document, /pipelines); per feed: feeds[].maxStaleness; 0 = off");
  static final StreamOptions.Keys STREAM = new StreamOptions.Keys(SPEC);

  static {
    SPEC.rule(o -> {
      if (o.getFeedsFile() == null && o.getFeedsList().isEmpty()) {
        throw new ConfigException(o.key("feeds"), "no feeds: set feedsFile or list feeds");
      }
      List<String> endpoints = o.get(ENDPOINTS);
      if (!endpoints.isEmpty() && !DEFAULT_ENDPOINT.equals(o.get(ENDPOINT))) {
        throw new ConfigException(o.key("endpoints"), "set endpoint or endpoints, not both (endpoint is '" + o.get(ENDPOINT) + "')");
      }
      for (int i = 0; i < endpoints.size(); i++) {
        OptionTypes.baseUrl().parse(endpoints.get(i), o.key("endpoints") + "[" + i + "]");
      }
      if (endpoints.size() != new java.util.HashSet<>(o.getEndpoints()).size() && !endpoints.isEmpty()) {
        throw new ConfigException(o.key("endpoints"), "lists an endpoint twice: " + endpoints);
      }
    });
  }

  public PythOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public PythOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  /**
   * Parses a feeds file: a JSON array of {@code {"id": "0x…", "symbol": "Crypto.BTC/USD"}}, each with an
   * optional {@code maxStaleness} of its own.
   *
   * @return the entries in file order, duplicates included (they are reported, not merged)
   * @throws ConfigException naming the file and entry; an empty list is refused like an empty inline list
   */
  public static List<PythFeedOptions> parseFeedsFile(Buffer content, String path) {
    JsonArray array;
    try {
      array = new JsonArray(content);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(path, "not a JSON array of feeds: " + ai.pintxo.weaver.config.JsonErrors.describe(e));
    }
    if (array.isEmpty()) {
      throw new ConfigException(path, "lists no feeds: expected [{\"id\": \"0x…\", \"symbol\": \"…\"}, …]");
    }
    List<PythFeedOptions> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o) || !(o.getValue("id") instanceof String id)) {
        throw new ConfigException(path + "[" + i + "]", "expected {\"id\": \"0x…\", \"symbol\": \"…\"}");
      }
      PythFeedOptions feed = new PythFeedOptions(id, o.getValue("symbol") instanceof String s ? s : "");
      if (o.getValue("maxStaleness") != null) {
        feed.setMaxStaleness(OptionTypes.durationOrZero().parse(o.getValue("maxStaleness"), path + "[" + i + "].maxStaleness"));
      }
      out.add(feed);
    }
    return out;
  }

  /** @return the inline feeds in order, duplicates included */
  List<PythFeedOptions> getFeedsList() {
    return get(FEEDS);
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  /** @return how this pipeline shares its units with other processes */
  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public PythOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public PythOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public PythOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
  }

  /** @return the providers to stream from: {@code endpoints}, or else {@code [endpoint]}; without trailing slashes */
  public List<String> getEndpoints() {
    List<String> endpoints = get(ENDPOINTS);
    if (endpoints.isEmpty()) {
      return List.of(getEndpoint());
    }
    return endpoints.stream().map(e -> e.endsWith("/") ? e.substring(0, e.length() - 1) : e).toList();
  }

  /** Several providers streamed at once, deduplicated; replaces {@link #setEndpoint}. */
  public PythOptions setEndpoints(List<String> endpoints) {
    return set(ENDPOINTS, List.copyOf(endpoints));
  }

  public String getApiKeyEnv() {
    return get(API_KEY_ENV);
  }

  /** @param apiKeyEnv the environment variable the Pyth API key is read from */
  public PythOptions setApiKeyEnv(String apiKeyEnv) {
    return set(API_KEY_ENV, apiKeyEnv);
  }

  /** @return the default staleness bound of every feed, {@link Duration#ZERO} when off */
  public Duration getMaxStaleness() {
    return get(MAX_STALENESS);
  }

  public PythOptions setMaxStaleness(Duration maxStaleness) {
    return set(MAX_STALENESS, maxStaleness);
  }

  /**
   * Adds one feed.
   *
   * @param maxStaleness its own staleness bound, or null for {@link #getMaxStaleness()}
   */
  public PythOptions addFeed(String id, String symbol, Duration maxStaleness) {
    List<PythFeedOptions> list = new ArrayList<>(getFeedsList());
    PythFeedOptions feed = new PythFeedOptions(id, symbol);
    list.add(maxStaleness == null ? feed : feed.setMaxStaleness(maxStaleness));
    return set(FEEDS, list);
  }

  public String getFeedsFile() {
    return get(FEEDS_FILE);
  }

  public PythOptions setFeedsFile(String feedsFile) {
    return set(FEEDS_FILE, feedsFile);
  }

  /** @return the inline feeds, id → symbol, in order (an id listed twice keeps its last symbol) */
  public Map<String, String> getFeeds() {
    Map<String, String> feeds = new LinkedHashMap<>();
    getFeedsList().forEach(f -> feeds.put(f.getId(), f.getSymbol()));
    return feeds;
  }

  /** @param feeds id → symbol */
  public PythOptions setFeeds(Map<String, String> feeds) {
    List<PythFeedOptions> list = new ArrayList<>();
    feeds.forEach((id, symbol) -> list.add(new PythFeedOptions(id, symbol)));
    return set(FEEDS, list);
  }

  public int getMaxFeedsPerStream() {
    return get(MAX_FEEDS_PER_STREAM);
  }

  public PythOptions setMaxFeedsPerStream(int maxFeedsPerStream) {
    return set(MAX_FEEDS_PER_STREAM, maxFeedsPerStream);
  }

  public Duration getConflationInterval() {
    return get(CONFLATION_INTERVAL);
  }

  /** At most one update per feed per interval reaches Kafka, the latest; {@link Duration#ZERO} lets all through. */
  public PythOptions setConflationInterval(Duration conflationInterval) {
    return set(CONFLATION_INTERVAL, conflationInterval);
  }

  public String getAccessToken() {
    return get(ACCESS_TOKEN);
  }

  /** The Pyth API key (or a node provider's token) itself, instead of {@link #getApiKeyEnv()}'s variable. */
  public PythOptions setAccessToken(String accessToken) {
    return set(ACCESS_TOKEN, accessToken);
  }

  public String getAccessTokenMode() {
    return get(ACCESS_TOKEN_MODE);
  }

  public PythOptions setAccessTokenMode(String accessTokenMode) {
    return set(ACCESS_TOKEN_MODE, accessTokenMode);
  }

  public int getRequestsPerPeriod() {
    return get(REQUESTS_PER_PERIOD);
  }

  public Duration getRequestPeriod() {
    return get(REQUEST_PERIOD);
  }

  /** The request budget Hermes allows this client: {@code requests} per {@code period}. */
  public PythOptions setRequestBudget(int requests, Duration period) {
    set(REQUESTS_PER_PERIOD, requests);
    return set(REQUEST_PERIOD, period);
  }

  /** @return how the price topic travels: {@link TopicProfile#LATENCY} by default */
  public TopicProfile getProfile() {
    return get(PROFILE);
  }

  public PythOptions setProfile(TopicProfile profile) {
    return set(PROFILE, profile);
  }

  public StreamOptions getStream() {
    return STREAM.read(this);
  }

  public PythOptions setStream(StreamOptions stream) {
    STREAM.write(this, stream);
    return this;
  }
}
