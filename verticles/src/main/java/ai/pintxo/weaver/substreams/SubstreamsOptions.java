package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One substream: the original {@code substreams.config.json} entry ({@code name}, {@code manifestUrl},
 * {@code strategy}, {@code outputModule}, {@code interface}) plus the endpoint and stream settings.
 * The API key or token is never part of the config: it is read from an environment variable or a
 * file named here, and never logged.
 */
public final class SubstreamsOptions {

  /** Blocks kept until final before they reach Kafka (the Go sink's documented value). */
  public static final int DEFAULT_UNDO_BUFFER_SIZE = 12;
  /** Environment variable of an API key ({@code x-api-key}). */
  public static final String DEFAULT_API_KEY_ENV = "SUBSTREAMS_API_KEY";
  /** Environment variable of a JWT ({@code authorization: Bearer}). */
  public static final String DEFAULT_API_TOKEN_ENV = "SUBSTREAMS_API_TOKEN";
  /** Largest inbound gRPC message: far above gRPC's 4 MiB default (the Go client allows 1 GiB). */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 256L * 1024 * 1024;

  private String name;
  private String manifestUrl;
  private String strategy = Strategies.DEFAULT;
  private String outputModule;
  private String recordInterface;
  private String endpoint;
  private boolean plaintext;
  private Long startBlock;
  private long stopBlock;
  private boolean finalBlocksOnly;
  private boolean productionMode = true;
  private Map<String, String> params = new LinkedHashMap<>();
  private String network = "";
  private int undoBufferSize = DEFAULT_UNDO_BUFFER_SIZE;
  private String apiKeyEnv = DEFAULT_API_KEY_ENV;
  private String apiTokenEnv = DEFAULT_API_TOKEN_ENV;
  private String apiKeyFile;
  private String topic;
  private String cursorTopic = ai.pintxo.weaver.codecs.substreams.SubstreamsCursor.TOPIC.name();
  private boolean allowModuleHashChange;
  private String coinList;
  private String cacheDir = SpkgLoader.DEFAULT_CACHE.toString();
  private Duration inactivityTimeout = Duration.ofMinutes(5);
  private Duration keepAliveInterval = Duration.ofSeconds(30);
  private Duration minBackoff = Duration.ofMillis(500);
  private Duration maxBackoff = Duration.ofSeconds(60);
  private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int maxBatchBlocks = 2000;
  private int maxPendingBlocks = 10_000;
  private KafkaOptions kafka = new KafkaOptions();

  public SubstreamsOptions() {
  }

  /** Reads and validates; see {@link #toJson()} for the keys. */
  public SubstreamsOptions(JsonObject json) {
    this(ConfigReader.of(json, "config"));
  }

  /**
   * @param c the verticle's config
   * @throws ConfigException naming the bad key
   */
  public SubstreamsOptions(ConfigReader c) {
    name = c.requiredString("name");
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigException(c.key("name"), "must be letters, digits, '.', '_' or '-' (it names a Kafka topic), was '" + name + "'");
    }
    manifestUrl = c.requiredString("manifestUrl");
    strategy = c.string("strategy", Strategies.DEFAULT);
    outputModule = c.requiredString("outputModule");
    recordInterface = c.string("interface", null);
    endpoint = c.requiredString("endpoint");
    if (!endpoint.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new ConfigException(c.key("endpoint"), "must be host:port (e.g. mainnet.eth.streamingfast.io:443), was '" + endpoint + "'");
    }
    plaintext = c.bool("plaintext", false);
    startBlock = c.has("startBlock") ? c.longValue("startBlock", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    stopBlock = c.longValue("stopBlock", 0, 0, Long.MAX_VALUE);
    finalBlocksOnly = c.bool("finalBlocksOnly", false);
    productionMode = c.bool("productionMode", true);
    params = new LinkedHashMap<>(c.stringMap("params"));
    network = c.string("network", "");
    undoBufferSize = c.integer("undoBufferSize", DEFAULT_UNDO_BUFFER_SIZE, 0, 100_000);
    apiKeyEnv = c.string("apiKeyEnv", DEFAULT_API_KEY_ENV);
    apiTokenEnv = c.string("apiTokenEnv", DEFAULT_API_TOKEN_ENV);
    apiKeyFile = c.string("apiKeyFile", null);
    topic = c.string("topic", null);
    cursorTopic = c.string("cursorTopic", cursorTopic);
    allowModuleHashChange = c.bool("allowModuleHashChange", false);
    coinList = c.string("coinList", null);
    cacheDir = c.string("cacheDir", cacheDir);
    inactivityTimeout = c.duration("inactivityTimeout", inactivityTimeout);
    keepAliveInterval = c.duration("keepAliveInterval", keepAliveInterval);
    minBackoff = c.duration("minBackoff", minBackoff);
    maxBackoff = c.duration("maxBackoff", maxBackoff);
    maxMessageSize = c.longValue("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE, 4L * 1024 * 1024, Integer.MAX_VALUE);
    maxBatchBlocks = c.integer("maxBatchBlocks", maxBatchBlocks, 1, 1_000_000);
    maxPendingBlocks = c.integer("maxPendingBlocks", maxPendingBlocks, 1, 10_000_000);
    ConfigReader kafkaConfig = c.object("kafka");
    kafka = new KafkaOptions(kafkaConfig);
    kafkaConfig.finish();
    if (stopBlock > 0 && startBlock != null && startBlock >= 0 && startBlock >= stopBlock) {
      throw new ConfigException(c.key("stopBlock"), "is exclusive and must be above startBlock " + startBlock + ", was " + stopBlock);
    }
    if (!strategyKnown(strategy)) {
      throw new ConfigException(c.key("strategy"), "no strategy '" + strategy + "' (known: " + String.join(", ", Strategies.names()) + ")");
    }
    if (recordInterface != null) {
      String type = Strategies.create(strategy).recordType().getSimpleName();
      if (!type.equals(recordInterface)) {
        throw new ConfigException(c.key("interface"), "strategy " + strategy + " writes " + type + ", not " + recordInterface);
      }
    }
    c.finish();
  }

  private static boolean strategyKnown(String name) {
    return Strategies.names().contains(name);
  }

  public JsonObject toJson() {
    JsonObject p = new JsonObject();
    params.forEach(p::put);
    JsonObject json = new JsonObject()
        .put("name", name).put("manifestUrl", manifestUrl).put("strategy", strategy).put("outputModule", outputModule)
        .put("endpoint", endpoint).put("plaintext", plaintext).put("stopBlock", stopBlock)
        .put("finalBlocksOnly", finalBlocksOnly).put("productionMode", productionMode).put("params", p).put("network", network)
        .put("undoBufferSize", undoBufferSize).put("apiKeyEnv", apiKeyEnv).put("apiTokenEnv", apiTokenEnv)
        .put("topic", topic()).put("cursorTopic", cursorTopic).put("allowModuleHashChange", allowModuleHashChange)
        .put("cacheDir", cacheDir).put("inactivityTimeout", inactivityTimeout.toMillis() + "ms")
        .put("keepAliveInterval", keepAliveInterval.toMillis() + "ms")
        .put("minBackoff", minBackoff.toMillis() + "ms").put("maxBackoff", maxBackoff.toMillis() + "ms")
        .put("maxMessageSize", maxMessageSize).put("maxBatchBlocks", maxBatchBlocks).put("maxPendingBlocks", maxPendingBlocks)
        .put("kafka", kafka.toJson());
    if (recordInterface != null) {
      json.put("interface", recordInterface);
    }
    if (startBlock != null) {
      json.put("startBlock", startBlock);
    }
    if (apiKeyFile != null) {
      json.put("apiKeyFile", apiKeyFile);
    }
    if (coinList != null) {
      json.put("coinList", coinList);
    }
    return json;
  }

  /** @return the records' topic: {@code topic} when set, else the original {@code <name>-substreams-topic} */
  public String topic() {
    return topic != null ? topic : name + "-substreams-topic";
  }

  public String getName() {
    return name;
  }

  public SubstreamsOptions setName(String name) {
    this.name = name;
    return this;
  }

  public String getManifestUrl() {
    return manifestUrl;
  }

  public SubstreamsOptions setManifestUrl(String manifestUrl) {
    this.manifestUrl = manifestUrl;
    return this;
  }

  public String getStrategy() {
    return strategy;
  }

  public SubstreamsOptions setStrategy(String strategy) {
    this.strategy = strategy;
    return this;
  }

  public String getOutputModule() {
    return outputModule;
  }

  public SubstreamsOptions setOutputModule(String outputModule) {
    this.outputModule = outputModule;
    return this;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public SubstreamsOptions setEndpoint(String endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public boolean isPlaintext() {
    return plaintext;
  }

  public SubstreamsOptions setPlaintext(boolean plaintext) {
    this.plaintext = plaintext;
    return this;
  }

  /** @return the start block, or null for the output module's initial block */
  public Long getStartBlock() {
    return startBlock;
  }

  public SubstreamsOptions setStartBlock(Long startBlock) {
    this.startBlock = startBlock;
    return this;
  }

  public long getStopBlock() {
    return stopBlock;
  }

  /** @param stopBlock exclusive; 0 follows the chain head forever */
  public SubstreamsOptions setStopBlock(long stopBlock) {
    this.stopBlock = stopBlock;
    return this;
  }

  public boolean isFinalBlocksOnly() {
    return finalBlocksOnly;
  }

  public SubstreamsOptions setFinalBlocksOnly(boolean finalBlocksOnly) {
    this.finalBlocksOnly = finalBlocksOnly;
    return this;
  }

  public boolean isProductionMode() {
    return productionMode;
  }

  public SubstreamsOptions setProductionMode(boolean productionMode) {
    this.productionMode = productionMode;
    return this;
  }

  public Map<String, String> getParams() {
    return params;
  }

  public SubstreamsOptions setParams(Map<String, String> params) {
    this.params = new LinkedHashMap<>(params);
    return this;
  }

  public String getNetwork() {
    return network;
  }

  public SubstreamsOptions setNetwork(String network) {
    this.network = network;
    return this;
  }

  /** @return the undo buffer size in effect: 0 with final blocks only */
  public int effectiveUndoBufferSize() {
    return finalBlocksOnly ? 0 : undoBufferSize;
  }

  public int getUndoBufferSize() {
    return undoBufferSize;
  }

  public SubstreamsOptions setUndoBufferSize(int undoBufferSize) {
    if (undoBufferSize < 0) {
      throw new IllegalArgumentException("undoBufferSize must be at least 0, was " + undoBufferSize);
    }
    this.undoBufferSize = undoBufferSize;
    return this;
  }

  public String getApiKeyEnv() {
    return apiKeyEnv;
  }

  public SubstreamsOptions setApiKeyEnv(String apiKeyEnv) {
    this.apiKeyEnv = apiKeyEnv;
    return this;
  }

  public String getApiTokenEnv() {
    return apiTokenEnv;
  }

  public SubstreamsOptions setApiTokenEnv(String apiTokenEnv) {
    this.apiTokenEnv = apiTokenEnv;
    return this;
  }

  public String getApiKeyFile() {
    return apiKeyFile;
  }

  /** @param apiKeyFile a file holding the API key (its whole content, trimmed) */
  public SubstreamsOptions setApiKeyFile(String apiKeyFile) {
    this.apiKeyFile = apiKeyFile;
    return this;
  }

  public SubstreamsOptions setTopic(String topic) {
    this.topic = topic;
    return this;
  }

  public String getCursorTopic() {
    return cursorTopic;
  }

  public SubstreamsOptions setCursorTopic(String cursorTopic) {
    this.cursorTopic = cursorTopic;
    return this;
  }

  public boolean isAllowModuleHashChange() {
    return allowModuleHashChange;
  }

  public SubstreamsOptions setAllowModuleHashChange(boolean allowModuleHashChange) {
    this.allowModuleHashChange = allowModuleHashChange;
    return this;
  }

  public String getCoinList() {
    return coinList;
  }

  public SubstreamsOptions setCoinList(String coinList) {
    this.coinList = coinList;
    return this;
  }

  public String getCacheDir() {
    return cacheDir;
  }

  public SubstreamsOptions setCacheDir(String cacheDir) {
    this.cacheDir = cacheDir;
    return this;
  }

  public Duration getInactivityTimeout() {
    return inactivityTimeout;
  }

  /** @return how often an HTTP/2 PING checks the connection; a ping unanswered for 10 s means a dead connection: reconnect */
  public Duration getKeepAliveInterval() {
    return keepAliveInterval;
  }

  public SubstreamsOptions setKeepAliveInterval(Duration keepAliveInterval) {
    this.keepAliveInterval = keepAliveInterval;
    return this;
  }

  public SubstreamsOptions setInactivityTimeout(Duration inactivityTimeout) {
    this.inactivityTimeout = inactivityTimeout;
    return this;
  }

  public Duration getMinBackoff() {
    return minBackoff;
  }

  public SubstreamsOptions setMinBackoff(Duration minBackoff) {
    this.minBackoff = minBackoff;
    return this;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  public SubstreamsOptions setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
    return this;
  }

  public long getMaxMessageSize() {
    return maxMessageSize;
  }

  public SubstreamsOptions setMaxMessageSize(long maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  public int getMaxBatchBlocks() {
    return maxBatchBlocks;
  }

  public SubstreamsOptions setMaxBatchBlocks(int maxBatchBlocks) {
    this.maxBatchBlocks = maxBatchBlocks;
    return this;
  }

  public int getMaxPendingBlocks() {
    return maxPendingBlocks;
  }

  public SubstreamsOptions setMaxPendingBlocks(int maxPendingBlocks) {
    this.maxPendingBlocks = maxPendingBlocks;
    return this;
  }

  public KafkaOptions getKafka() {
    return kafka;
  }

  public SubstreamsOptions setKafka(KafkaOptions kafka) {
    this.kafka = kafka;
    return this;
  }
}
