package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of {@link EngineConnectorVerticle}: the topics to consume (each needs a
 * {@link DocumentProcessor}), the consumer group, Vespa, commit cadence, buffering and shutdown.
 */
public final class EngineConnectorOptions {

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

  private KafkaOptions kafka = new KafkaOptions();
  private String groupId = DEFAULT_GROUP_ID;
  private List<String> topics = new ArrayList<>();
  /** Processors of configured record topics (real-time streams), by topic. */
  private final java.util.Map<String, RecordDocumentProcessor<?>> records = new java.util.LinkedHashMap<>();
  private VespaFeedOptions vespa = new VespaFeedOptions();
  private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
  private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
  private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;

  /** Consumes every topic that has a processor. */
  public EngineConnectorOptions() {
    topics.addAll(DocumentProcessors.installed().topics());
  }

  /** @throws ConfigException naming the bad key */
  public EngineConnectorOptions(JsonObject json) {
    this(ConfigReader.of(json, "config"));
  }

  /** @throws ConfigException naming the bad key */
  public EngineConnectorOptions(ConfigReader config) {
    ConfigReader kafkaConfig = config.object("kafka");
    kafka = new KafkaOptions(kafkaConfig);
    kafkaConfig.finish();
    groupId = config.string("groupId", DEFAULT_GROUP_ID);
    if (groupId.isBlank()) {
      throw new ConfigException(config.key("groupId"), "must not be blank");
    }
    List<ConfigReader> recordEntries = config.objects("records");
    for (int i = 0; i < recordEntries.size(); i++) {
      ConfigReader entry = recordEntries.get(i);
      String topic = entry.requiredString("topic");
      String recordClass = entry.requiredString("recordClass");
      String documentType = entry.requiredString("documentType");
      entry.finish();
      if (DocumentProcessors.installed().forTopic(topic).isPresent() || records.containsKey(topic)) {
        throw new ConfigException(config.key("records") + "[" + i + "].topic", "topic '" + topic + "' already has a processor");
      }
      try {
        records.put(topic, RecordDocumentProcessor.of(topic, recordClass, documentType));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(config.key("records") + "[" + i + "].recordClass", e.getMessage());
      }
    }
    List<String> everyTopic = new ArrayList<>(DocumentProcessors.installed().topics());
    everyTopic.addAll(records.keySet());
    topics = new ArrayList<>(config.strings("topics", everyTopic));
    if (topics.isEmpty()) {
      throw new ConfigException(config.key("topics"), "no topics to consume");
    }
    for (int i = 0; i < topics.size(); i++) {
      if (processorFor(topics.get(i)).isEmpty()) {
        throw new ConfigException(config.key("topics") + "[" + i + "]", "no processor for topic '" + topics.get(i)
            + "' (topics with a processor: " + String.join(", ", everyTopic) + ")");
      }
    }
    vespa = new VespaFeedOptions(config.object("vespa"));
    commitInterval = config.duration("commitInterval", DEFAULT_COMMIT_INTERVAL);
    maxBufferedBytes = config.longValue("maxBufferedBytes", DEFAULT_MAX_BUFFERED_BYTES, 1024, 1L << 40);
    shutdownTimeout = config.duration("shutdownTimeout", DEFAULT_SHUTDOWN_TIMEOUT);
    maxPollRecords = config.integer("maxPollRecords", DEFAULT_MAX_POLL_RECORDS, 1, 100_000);
    config.finish();
  }

  public JsonObject toJson() {
    JsonArray recordList = new JsonArray();
    records.forEach((topic, p) -> recordList.add(new JsonObject().put("topic", topic).put("recordClass", p.topic().type().getName())
        .put("documentType", p.documentType())));
    return new JsonObject()
        .put("kafka", kafka.toJson())
        .put("groupId", groupId)
        .put("topics", new JsonArray(new ArrayList<>(topics)))
        .put("records", recordList)
        .put("vespa", vespa.toJson())
        .put("commitInterval", Durations.format(commitInterval))
        .put("maxBufferedBytes", maxBufferedBytes)
        .put("shutdownTimeout", Durations.format(shutdownTimeout))
        .put("maxPollRecords", maxPollRecords);
  }

  public KafkaOptions getKafka() {
    return kafka;
  }

  public EngineConnectorOptions setKafka(KafkaOptions kafka) {
    this.kafka = kafka;
    return this;
  }

  public String getGroupId() {
    return groupId;
  }

  public EngineConnectorOptions setGroupId(String groupId) {
    this.groupId = groupId;
    return this;
  }

  public List<String> getTopics() {
    return topics;
  }

  /** @return the processor of a topic: an installed one, or one of a configured record topic */
  public java.util.Optional<DocumentProcessor<?>> processorFor(String topic) {
    RecordDocumentProcessor<?> record = records.get(topic);
    return record != null ? java.util.Optional.of(record) : DocumentProcessors.installed().forTopic(topic);
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
    records.put(topic, RecordDocumentProcessor.of(topic, recordClass, documentType));
    topics.add(topic);
    return this;
  }

  /** @throws IllegalArgumentException for a topic without a processor */
  public EngineConnectorOptions setTopics(List<String> topics) {
    for (String topic : topics) {
      if (processorFor(topic).isEmpty()) {
        throw new IllegalArgumentException("no processor for topic '" + topic + "'");
      }
    }
    this.topics = new ArrayList<>(topics);
    return this;
  }

  public VespaFeedOptions getVespa() {
    return vespa;
  }

  public EngineConnectorOptions setVespa(VespaFeedOptions vespa) {
    this.vespa = vespa;
    return this;
  }

  public Duration getCommitInterval() {
    return commitInterval;
  }

  public EngineConnectorOptions setCommitInterval(Duration commitInterval) {
    this.commitInterval = commitInterval;
    return this;
  }

  public long getMaxBufferedBytes() {
    return maxBufferedBytes;
  }

  /** Above this many bytes of records between Kafka and Vespa, the partitions holding them are paused. */
  public EngineConnectorOptions setMaxBufferedBytes(long maxBufferedBytes) {
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("maxBufferedBytes must be positive, was " + maxBufferedBytes);
    }
    this.maxBufferedBytes = maxBufferedBytes;
    return this;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public EngineConnectorOptions setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
    return this;
  }

  public int getMaxPollRecords() {
    return maxPollRecords;
  }

  public EngineConnectorOptions setMaxPollRecords(int maxPollRecords) {
    this.maxPollRecords = maxPollRecords;
    return this;
  }
}
