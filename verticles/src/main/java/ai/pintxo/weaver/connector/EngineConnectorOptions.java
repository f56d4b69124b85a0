package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.kafka.TopicProfile;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of {@link EngineConnectorVerticle}: the topics to consume (each needs a
 * {@link DocumentProcessor}), the consumer group, Vespa, commit cadence, buffering and shutdown.
 */
public final class EngineConnectorOptions extends Options<EngineConnectorOptions> {

  /** The original engine connector's consumer group. */
  public static final String DEFAULT_GROUP_ID = "pintxo-engine-connector";
  /** How often acknowledged offsets are committed. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
  /**
   * Bytes of records held between Kafka and Vespa (in flight, queued or retrying) before partitions
   * are paused: thousands of typical records, many times what Vespa has in flight, while keeping
   * the garbage collector's work small.
   */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L << 20;
  /** How long stopping waits for records in flight to be acknowledged. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_POLL_RECORDS = 1000;

  public static final OptionSpec<EngineConnectorOptions> SPEC = new OptionSpec<>("config",
      "EngineConnectorVerticle: consumes topics and feeds Vespa", EngineConnectorOptions::new);
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);
  static final Option<String> GROUP_ID = SPEC.option("groupId", OptionTypes.nonBlank(), DEFAULT_GROUP_ID, "the consumer group");
  static final Option<List<RecordTopicOptions>> RECORDS = SPEC.option("records", OptionTypes.optionsList(RecordTopicOptions.SPEC),
      List.of(), "topics of configured records fed by the generic processor; the deployment's declared sources add theirs");
  static final Option<List<String>> TOPICS = SPEC.computed("topics", OptionTypes.stringList(),
      "the deployment's source topics that have a processor (without sources: every topic with one)", EngineConnectorOptions::everyTopic,
      "the topics to consume; each needs a processor");
  static final Option<List<String>> LATENCY_TOPICS = SPEC.option("latencyTopics", OptionTypes.stringList(),
      List.of(PythPrice.TOPIC.name()), "topics of live values fed in the latency profile: their records go to Vespa before "
          + "bulk work waiting in the feeder, and consuming any of them shortens the consumer's fetch wait");
  static final Option<VespaFeedOptions> VESPA = SPEC.option("vespa", OptionTypes.options(VespaFeedOptions.SPEC), new VespaFeedOptions(),
      "how Vespa is fed");
  static final Option<Duration> COMMIT_INTERVAL = SPEC.option("commitInterval", OptionTypes.duration(), DEFAULT_COMMIT_INTERVAL,
      "how often acknowledged offsets are committed");
  static final Option<Long> MAX_BUFFERED_BYTES = SPEC.option("maxBufferedBytes", OptionTypes.longValue(1024, 1L << 40),
      DEFAULT_MAX_BUFFERED_BYTES, "bytes of records between Kafka and Vespa above which the partitions holding them pause");
  static final Option<Duration> SHUTDOWN_TIMEOUT = SPEC.option("shutdownTimeout", OptionTypes.duration(), DEFAULT_SHUTDOWN_TIMEOUT,
      "how long stopping waits for records in flight to be acknowledged");
  static final Option<Integer> MAX_POLL_RECORDS = SPEC.option("maxPollRecords", OptionTypes.integer(1, 100_000),
      DEFAULT_MAX_POLL_RECORDS, "records per Kafka poll");

  static {
    SPEC.rule(EngineConnectorOptions::checkTopics);
  }

  /** Consumes every topic that has a processor. */
  public EngineConnectorOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public EngineConnectorOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  private void checkTopics() {
    Set<String> recordTopics = new HashSet<>();
    List<RecordTopicOptions> records = getRecords();
    for (int i = 0; i < records.size(); i++) {
      String topic = records.get(i).getTopic();
      if (DocumentProcessors.installed().forTopic(topic).isPresent() || !recordTopics.add(topic)) {
        throw new ConfigException(key("records") + "[" + i + "].topic", "topic '" + topic + "' already has a processor");
      }
    }
    List<String> topics = getTopics();
    if (topics.isEmpty()) {
      throw new ConfigException(key("topics"), "no topics to consume");
    }
    for (int i = 0; i < topics.size(); i++) {
      if (processorFor(topics.get(i)).isEmpty()) {
        throw new ConfigException(key("topics") + "[" + i + "]", "no processor for topic '" + topics.get(i)
            + "' (topics with a processor: " + String.join(", ", everyTopic()) + ")");
      }
    }
  }

  private List<String> everyTopic() {
    List<String> every = new ArrayList<>(DocumentProcessors.installed().topics());
    getRecords().forEach(r -> every.add(r.getTopic()));
    return every;
  }

  /** @return the processor of a topic: an installed one, or one of a configured record topic */
  public Optional<DocumentProcessor<?>> processorFor(String topic) {
    for (RecordTopicOptions record : getRecords()) {
      if (record.getTopic().equals(topic)) {
        return Optional.of(record.processor());
      }
    }
    return DocumentProcessors.installed().forTopic(topic);
  }

  /**
   * Feeds a topic of records (a real-time stream's) to Vespa with a {@link RecordDocumentProcessor}, and consumes it.
   *
   * @throws IllegalArgumentException when the class does not qualify or the topic already has a processor
   */
  public EngineConnectorOptions addRecordTopic(String topic, String recordClass, String documentType) {
    if (processorFor(topic).isPresent()) {
      throw new IllegalArgumentException("topic '" + topic + "' already has a processor");
    }
    RecordTopicOptions record = new RecordTopicOptions(topic, recordClass, documentType);
    record.processor();
    List<String> topics = new ArrayList<>(getTopics());
    List<RecordTopicOptions> records = new ArrayList<>(getRecords());
    records.add(record);
    set(RECORDS, records);
    topics.add(topic);
    return set(TOPICS, topics);
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  /** @return how this pipeline shares its units with other processes */
  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public EngineConnectorOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public EngineConnectorOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }

  public String getGroupId() {
    return get(GROUP_ID);
  }

  public EngineConnectorOptions setGroupId(String groupId) {
    return set(GROUP_ID, groupId);
  }

  public List<String> getTopics() {
    return get(TOPICS);
  }

  /** @throws IllegalArgumentException for a topic without a processor */
  public EngineConnectorOptions setTopics(List<String> topics) {
    for (String topic : topics) {
      if (processorFor(topic).isEmpty()) {
        throw new ConfigException(key("topics"), "no processor for topic '" + topic + "'");
      }
    }
    return set(TOPICS, new ArrayList<>(topics));
  }

  public List<RecordTopicOptions> getRecords() {
    return get(RECORDS);
  }

  /** @return the topics fed in the {@link TopicProfile#LATENCY} profile (the Pyth price topic by default) */
  public List<String> getLatencyTopics() {
    return get(LATENCY_TOPICS);
  }

  public EngineConnectorOptions setLatencyTopics(List<String> latencyTopics) {
    return set(LATENCY_TOPICS, new ArrayList<>(latencyTopics));
  }

  /** @return the profile of a topic: latency when listed in {@code latencyTopics} */
  public TopicProfile profileOf(String topic) {
    return getLatencyTopics().contains(topic) ? TopicProfile.LATENCY : TopicProfile.THROUGHPUT;
  }

  public VespaFeedOptions getVespa() {
    return get(VESPA);
  }

  public EngineConnectorOptions setVespa(VespaFeedOptions vespa) {
    return set(VESPA, vespa);
  }

  public Duration getCommitInterval() {
    return get(COMMIT_INTERVAL);
  }

  public EngineConnectorOptions setCommitInterval(Duration commitInterval) {
    return set(COMMIT_INTERVAL, commitInterval);
  }

  public long getMaxBufferedBytes() {
    return get(MAX_BUFFERED_BYTES);
  }

  /** Above this many bytes of records between Kafka and Vespa, the partitions holding them are paused. */
  public EngineConnectorOptions setMaxBufferedBytes(long maxBufferedBytes) {
    return set(MAX_BUFFERED_BYTES, maxBufferedBytes);
  }

  public Duration getShutdownTimeout() {
    return get(SHUTDOWN_TIMEOUT);
  }

  public EngineConnectorOptions setShutdownTimeout(Duration shutdownTimeout) {
    return set(SHUTDOWN_TIMEOUT, shutdownTimeout);
  }

  public int getMaxPollRecords() {
    return get(MAX_POLL_RECORDS);
  }

  public EngineConnectorOptions setMaxPollRecords(int maxPollRecords) {
    return set(MAX_POLL_RECORDS, maxPollRecords);
  }
}
