package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.cluster.ClusterOptions;
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
public final class SubstreamsOptions extends Options<SubstreamsOptions> {

  /** Blocks kept until final before they reach Kafka (the Go sink's documented value). */
  public static final int DEFAULT_UNDO_BUFFER_SIZE = 12;
  /** Environment variable of an API key ({@code x-api-key}). */
  public static final String DEFAULT_API_KEY_ENV = "SUBSTREAMS_API_KEY";
  /** Environment variable of a JWT ({@code authorization: Bearer}). */
  public static final String DEFAULT_API_TOKEN_ENV = "SUBSTREAMS_API_TOKEN";
  /** Largest inbound gRPC message: far above gRPC's 4 MiB default (the Go client allows 1 GiB). */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 256L * 1024 * 1024;

  /** {@code undoMode}: hold blocks in the undo buffer until final (the default). */
  public static final String UNDO_BUFFER = "buffer";
  /** {@code undoMode}: send blocks at once, compensate undos. */
  public static final String UNDO_PROPAGATE = "propagate";

  public static final OptionSpec<SubstreamsOptions> SPEC = new OptionSpec<>("config",
      "SubstreamsVerticle: one StreamingFast Substreams package over gRPC to <name>-substreams-topic", SubstreamsOptions::new);
  static final Option<String> NAME = SPEC.required("name", OptionTypes.matching("[A-Za-z0-9._-]+",
      "letters, digits, '.', '_' or '-' (it names a Kafka topic)"), "the substream's name; records go to <name>-substreams-topic");
  static final Option<String> MANIFEST_URL = SPEC.required("manifestUrl", OptionTypes.nonBlank(), "the .spkg: a path or an http(s) URL (cached)");
  static final Option<String> STRATEGY = SPEC.option("strategy", OptionTypes.nonBlank(), Strategies.DEFAULT,
      "how output becomes records: SeaportStrategy, SupplyStrategy, JsonStrategy or an installed one");
  static final Option<String> OUTPUT_MODULE = SPEC.required("outputModule", OptionTypes.nonBlank(), "the module whose output is streamed");
  static final Option<String> INTERFACE = SPEC.optional("interface", OptionTypes.nonBlank(),
      "the record type the strategy must write (the original's check)");
  static final Option<String> ENDPOINT = SPEC.required("endpoint", OptionTypes.matching("[^:/\\s]+:\\d{1,5}",
      "host:port (e.g. mainnet.eth.streamingfast.io:443)"), "the Substreams gRPC endpoint");
  static final Option<Boolean> PLAINTEXT = SPEC.option("plaintext", OptionTypes.bool(), false, "h2c instead of TLS (local servers)");
  static final Option<Long> START_BLOCK = SPEC.optional("startBlock", OptionTypes.longValue(Long.MIN_VALUE, Long.MAX_VALUE),
      "first block (negative: relative to the head); default: the module's initial block");
  static final Option<Long> STOP_BLOCK = SPEC.option("stopBlock", OptionTypes.longValue(0, Long.MAX_VALUE), 0L,
      "block to stop before (exclusive); 0 streams forever");
  static final Option<Boolean> FINAL_BLOCKS_ONLY = SPEC.option("finalBlocksOnly", OptionTypes.bool(), false,
      "ask the server for final blocks only (no undo signals)");
  static final Option<Boolean> PRODUCTION_MODE = SPEC.option("productionMode", OptionTypes.bool(), true,
      "the server's production mode (parallel back-processing, output of the requested module only)");
  static final Option<Map<String, String>> PARAMS = SPEC.option("params", OptionTypes.stringMap(), Map.of(), "module parameters, by module");
  static final Option<String> NETWORK = SPEC.option("network", OptionTypes.string(), "", "the network, when the package has several");
  static final Option<Integer> UNDO_BUFFER_SIZE = SPEC.option("undoBufferSize", OptionTypes.integer(0, 100_000), DEFAULT_UNDO_BUFFER_SIZE,
      "blocks held until they can no longer be undone (0 with finalBlocksOnly); with undoMode \"propagate\", the deepest undo"
          + " compensated");
  static final Option<String> UNDO_MODE = SPEC.option("undoMode", OptionTypes.oneOf(UNDO_BUFFER, UNDO_PROPAGATE), UNDO_BUFFER,
      "\"buffer\": only blocks that can no longer be undone reach Kafka (undoBufferSize blocks behind the head); \"propagate\": every"
          + " block reaches Kafka at once and an undo signal becomes compensating records (restore or remove) in the transaction of its"
          + " cursor; undoBufferSize is then the deepest undo it compensates");
  static final Option<String> GAP_CHECK = SPEC.option("gapCheck", OptionTypes.oneOf(BlockSequence.STRICT, BlockSequence.BACKWARDS_ONLY),
      BlockSequence.STRICT, "a block number that goes backwards without an undo signal stops the substream; \"strict\" also stops it on a"
          + " skipped number, \"backwardsOnly\" accepts skips (chains whose block numbers skip, e.g. Solana slots)");
  static final Option<String> API_KEY_ENV = SPEC.option("apiKeyEnv", OptionTypes.nonBlank(), DEFAULT_API_KEY_ENV,
      "environment variable holding the API key (x-api-key)");
  static final Option<String> API_TOKEN_ENV = SPEC.option("apiTokenEnv", OptionTypes.nonBlank(), DEFAULT_API_TOKEN_ENV,
      "environment variable holding a JWT (Authorization: Bearer)");
  static final Option<String> API_KEY_FILE = SPEC.optional("apiKeyFile", OptionTypes.nonBlank(), "a file holding the API key");
  static final Option<String> TOPIC = SPEC.optional("topic", OptionTypes.nonBlank(), "the records' topic (default <name>-substreams-topic)");
  static final Option<String> CURSOR_TOPIC = SPEC.option("cursorTopic", OptionTypes.nonBlank(), SubstreamsCursor.TOPIC.name(),
      "compacted topic of cursors, written in the same transaction as the records");
  static final Option<Boolean> ALLOW_MODULE_HASH_CHANGE = SPEC.option("allowModuleHashChange", OptionTypes.bool(), false,
      "resume from a cursor although the output module's hash changed");
  static final Option<String> COIN_LIST = SPEC.optional("coinList", OptionTypes.nonBlank(), "a coin list file for the strategy");
  static final Option<String> CACHE_DIR = SPEC.option("cacheDir", OptionTypes.nonBlank(), SpkgLoader.DEFAULT_CACHE.toString(),
      "where downloaded packages are cached");
  static final Option<Duration> INACTIVITY_TIMEOUT = SPEC.option("inactivityTimeout", OptionTypes.duration(), Duration.ofMinutes(5),
      "no message (progress included) for this long: reconnect");
  static final Option<Duration> KEEP_ALIVE_INTERVAL = SPEC.option("keepAliveInterval", OptionTypes.duration(), Duration.ofSeconds(30),
      "HTTP/2 PING interval; a ping unanswered for 10 s means a dead connection");
  static final Option<Duration> MIN_BACKOFF = SPEC.option("minBackoff", OptionTypes.duration(), Duration.ofMillis(500), "first reconnect delay");
  static final Option<Duration> MAX_BACKOFF = SPEC.option("maxBackoff", OptionTypes.duration(), Duration.ofSeconds(60), "longest reconnect delay");
  static final Option<Long> MAX_MESSAGE_SIZE = SPEC.option("maxMessageSize", OptionTypes.longValue(4L * 1024 * 1024, Integer.MAX_VALUE),
      DEFAULT_MAX_MESSAGE_SIZE, "largest inbound gRPC message in bytes");
  static final Option<Integer> MAX_BATCH_BLOCKS = SPEC.option("maxBatchBlocks", OptionTypes.integer(1, 1_000_000), 2000,
      "blocks per Kafka transaction at most");
  static final Option<Integer> MAX_PENDING_BLOCKS = SPEC.option("maxPendingBlocks", OptionTypes.integer(1, 10_000_000), 10_000,
      "blocks received and not yet committed before the stream is paused");
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);

  static {
    SPEC.rule(SubstreamsOptions::check);
  }

  public SubstreamsOptions() {
    super(SPEC);
  }

  /** Reads and validates; see {@link #toJson()} for the keys. */
  public SubstreamsOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  private void check() {
    Long startBlock = getStartBlock();
    long stopBlock = getStopBlock();
    if (stopBlock > 0 && startBlock != null && startBlock >= 0 && startBlock >= stopBlock) {
      throw new ConfigException(key("stopBlock"), "is exclusive and must be above startBlock " + startBlock + ", was " + stopBlock);
    }
    if (!Strategies.names().contains(getStrategy())) {
      throw new ConfigException(key("strategy"), "no strategy '" + getStrategy() + "' (known: " + String.join(", ", Strategies.names()) + ")");
    }
    if (isPropagate() && isFinalBlocksOnly()) {
      throw new ConfigException(key("undoMode"), "\"propagate\" has nothing to propagate with finalBlocksOnly (final blocks are never undone)");
    }
    if (isPropagate() && getUndoBufferSize() < 1) {
      throw new ConfigException(key("undoBufferSize"), "must be at least 1 with undoMode \"propagate\" (the deepest undo it compensates), was 0");
    }
    String recordInterface = get(INTERFACE);
    if (recordInterface != null) {
      String type = Strategies.create(getStrategy()).recordType().getSimpleName();
      if (!type.equals(recordInterface)) {
        throw new ConfigException(key("interface"), "strategy " + getStrategy() + " writes " + type + ", not " + recordInterface);
      }
    }
  }

  @Override
  public JsonObject toJson() {
    return super.toJson().put("topic", topic());
  }

  /** @return the records' topic: {@code topic} when set, else the original {@code <name>-substreams-topic} */
  public String topic() {
    String topic = get(TOPIC);
    return topic != null ? topic : getName() + "-substreams-topic";
  }

  /** @return the undo buffer size in effect: 0 with final blocks only */
  public int effectiveUndoBufferSize() {
    return isFinalBlocksOnly() ? 0 : getUndoBufferSize();
  }

  public String getName() {
    return get(NAME);
  }

  public SubstreamsOptions setName(String name) {
    return set(NAME, name);
  }

  public String getManifestUrl() {
    return get(MANIFEST_URL);
  }

  public SubstreamsOptions setManifestUrl(String manifestUrl) {
    return set(MANIFEST_URL, manifestUrl);
  }

  public String getStrategy() {
    return get(STRATEGY);
  }

  public SubstreamsOptions setStrategy(String strategy) {
    return set(STRATEGY, strategy);
  }

  public String getOutputModule() {
    return get(OUTPUT_MODULE);
  }

  public SubstreamsOptions setOutputModule(String outputModule) {
    return set(OUTPUT_MODULE, outputModule);
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public SubstreamsOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint);
  }

  public boolean isPlaintext() {
    return get(PLAINTEXT);
  }

  public SubstreamsOptions setPlaintext(boolean plaintext) {
    return set(PLAINTEXT, plaintext);
  }

  public Long getStartBlock() {
    return get(START_BLOCK);
  }

  public SubstreamsOptions setStartBlock(Long startBlock) {
    return set(START_BLOCK, startBlock);
  }

  public long getStopBlock() {
    return get(STOP_BLOCK);
  }

  public SubstreamsOptions setStopBlock(long stopBlock) {
    return set(STOP_BLOCK, stopBlock);
  }

  public boolean isFinalBlocksOnly() {
    return get(FINAL_BLOCKS_ONLY);
  }

  public SubstreamsOptions setFinalBlocksOnly(boolean finalBlocksOnly) {
    return set(FINAL_BLOCKS_ONLY, finalBlocksOnly);
  }

  public boolean isProductionMode() {
    return get(PRODUCTION_MODE);
  }

  public SubstreamsOptions setProductionMode(boolean productionMode) {
    return set(PRODUCTION_MODE, productionMode);
  }

  public Map<String, String> getParams() {
    return get(PARAMS);
  }

  public SubstreamsOptions setParams(Map<String, String> params) {
    return set(PARAMS, new LinkedHashMap<>(params));
  }

  public String getNetwork() {
    return get(NETWORK);
  }

  public SubstreamsOptions setNetwork(String network) {
    return set(NETWORK, network);
  }

  public String getUndoMode() {
    return get(UNDO_MODE);
  }

  public SubstreamsOptions setUndoMode(String undoMode) {
    return set(UNDO_MODE, undoMode);
  }

  /** @return whether blocks go to Kafka at once and undos are compensated */
  public boolean isPropagate() {
    return UNDO_PROPAGATE.equals(getUndoMode());
  }

  public String getGapCheck() {
    return get(GAP_CHECK);
  }

  public SubstreamsOptions setGapCheck(String gapCheck) {
    return set(GAP_CHECK, gapCheck);
  }

  public int getUndoBufferSize() {
    return get(UNDO_BUFFER_SIZE);
  }

  public SubstreamsOptions setUndoBufferSize(int undoBufferSize) {
    return set(UNDO_BUFFER_SIZE, undoBufferSize);
  }

  public String getApiKeyEnv() {
    return get(API_KEY_ENV);
  }

  public SubstreamsOptions setApiKeyEnv(String apiKeyEnv) {
    return set(API_KEY_ENV, apiKeyEnv);
  }

  public String getApiTokenEnv() {
    return get(API_TOKEN_ENV);
  }

  public SubstreamsOptions setApiTokenEnv(String apiTokenEnv) {
    return set(API_TOKEN_ENV, apiTokenEnv);
  }

  public String getApiKeyFile() {
    return get(API_KEY_FILE);
  }

  public SubstreamsOptions setApiKeyFile(String apiKeyFile) {
    return set(API_KEY_FILE, apiKeyFile);
  }

  public SubstreamsOptions setTopic(String topic) {
    return set(TOPIC, topic);
  }

  public String getCursorTopic() {
    return get(CURSOR_TOPIC);
  }

  public SubstreamsOptions setCursorTopic(String cursorTopic) {
    return set(CURSOR_TOPIC, cursorTopic);
  }

  public boolean isAllowModuleHashChange() {
    return get(ALLOW_MODULE_HASH_CHANGE);
  }

  public SubstreamsOptions setAllowModuleHashChange(boolean allowModuleHashChange) {
    return set(ALLOW_MODULE_HASH_CHANGE, allowModuleHashChange);
  }

  public String getCoinList() {
    return get(COIN_LIST);
  }

  public SubstreamsOptions setCoinList(String coinList) {
    return set(COIN_LIST, coinList);
  }

  public String getCacheDir() {
    return get(CACHE_DIR);
  }

  public SubstreamsOptions setCacheDir(String cacheDir) {
    return set(CACHE_DIR, cacheDir);
  }

  public Duration getInactivityTimeout() {
    return get(INACTIVITY_TIMEOUT);
  }

  public SubstreamsOptions setInactivityTimeout(Duration inactivityTimeout) {
    return set(INACTIVITY_TIMEOUT, inactivityTimeout);
  }

  public Duration getKeepAliveInterval() {
    return get(KEEP_ALIVE_INTERVAL);
  }

  public SubstreamsOptions setKeepAliveInterval(Duration keepAliveInterval) {
    return set(KEEP_ALIVE_INTERVAL, keepAliveInterval);
  }

  public Duration getMinBackoff() {
    return get(MIN_BACKOFF);
  }

  public SubstreamsOptions setMinBackoff(Duration minBackoff) {
    return set(MIN_BACKOFF, minBackoff);
  }

  public Duration getMaxBackoff() {
    return get(MAX_BACKOFF);
  }

  public SubstreamsOptions setMaxBackoff(Duration maxBackoff) {
    return set(MAX_BACKOFF, maxBackoff);
  }

  public long getMaxMessageSize() {
    return get(MAX_MESSAGE_SIZE);
  }

  public SubstreamsOptions setMaxMessageSize(long maxMessageSize) {
    return set(MAX_MESSAGE_SIZE, maxMessageSize);
  }

  public int getMaxBatchBlocks() {
    return get(MAX_BATCH_BLOCKS);
  }

  public SubstreamsOptions setMaxBatchBlocks(int maxBatchBlocks) {
    return set(MAX_BATCH_BLOCKS, maxBatchBlocks);
  }

  public int getMaxPendingBlocks() {
    return get(MAX_PENDING_BLOCKS);
  }

  public SubstreamsOptions setMaxPendingBlocks(int maxPendingBlocks) {
    return set(MAX_PENDING_BLOCKS, maxPendingBlocks);
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  /** @return how this pipeline shares its units with other processes */
  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public SubstreamsOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public SubstreamsOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }
}
