package ai.pintxo.weaver.kafka;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a verticle reaches Kafka: bootstrap servers, extra client properties (security, SASL, …),
 * and how missing topics are created. Shared by every verticle's options.
 */
public final class KafkaOptions {

  /** Partitions of the topics the weaver creates; 4 lets up to 4 connector instances share a topic. */
  public static final int DEFAULT_TOPIC_PARTITIONS = 4;
  /** Replication of created topics; 1 suits the embedded single-node broker, set 3 for a cluster. */
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  private String bootstrapServers = "";
  private Map<String, String> properties = new LinkedHashMap<>();
  private boolean createTopics = true;
  private int topicPartitions = DEFAULT_TOPIC_PARTITIONS;
  private short replicationFactor = DEFAULT_REPLICATION_FACTOR;

  public KafkaOptions() {
  }

  public KafkaOptions(KafkaOptions other) {
    this.bootstrapServers = other.bootstrapServers;
    this.properties = new LinkedHashMap<>(other.properties);
    this.createTopics = other.createTopics;
    this.topicPartitions = other.topicPartitions;
    this.replicationFactor = other.replicationFactor;
  }

  /** Reads and validates; see {@link #toJson()} for the keys. */
  public KafkaOptions(JsonObject json) {
    this(ConfigReader.of(json, "kafka"));
  }

  /**
   * Reads the Kafka keys of a config object; the caller finishes the reader, since the object may
   * hold other keys too (the launcher's {@code embedded} section).
   *
   * @param config the {@code kafka} object
   * @throws ConfigException naming the bad key
   */
  public KafkaOptions(ConfigReader config) {
    bootstrapServers = config.string("bootstrapServers", "");
    properties = new LinkedHashMap<>(config.stringMap("properties"));
    createTopics = config.bool("createTopics", true);
    topicPartitions = config.integer("topicPartitions", DEFAULT_TOPIC_PARTITIONS, 1, 10_000);
    replicationFactor = (short) config.integer("replicationFactor", DEFAULT_REPLICATION_FACTOR, -1, 32);
    if (replicationFactor == 0) {
      throw new ConfigException(config.key("replicationFactor"), "must be -1 (broker default) or at least 1, was 0");
    }
    for (String reserved : new String[] {"bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer"}) {
      if (properties.containsKey(reserved)) {
        throw new ConfigException(config.key("properties." + reserved), "is set by the weaver; use kafka.bootstrapServers for the servers");
      }
    }
  }

  public JsonObject toJson() {
    JsonObject props = new JsonObject();
    properties.forEach(props::put);
    return new JsonObject()
        .put("bootstrapServers", bootstrapServers)
        .put("properties", props)
        .put("createTopics", createTopics)
        .put("topicPartitions", topicPartitions)
        .put("replicationFactor", (int) replicationFactor);
  }

  /** @throws ConfigException when no bootstrap servers are set */
  public KafkaOptions validateForClients(String key) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ConfigException(key + ".bootstrapServers", "is required (host:port[,host:port…])");
    }
    return this;
  }

  /** @return client configuration shared by producers, consumers and admin clients */
  public Map<String, String> clientConfig() {
    Map<String, String> config = new LinkedHashMap<>(properties);
    config.put("bootstrap.servers", bootstrapServers);
    return config;
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public KafkaOptions setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers == null ? "" : bootstrapServers;
    return this;
  }

  public Map<String, String> getProperties() {
    return properties;
  }

  /** Extra Kafka client properties, e.g. {@code security.protocol}; their values are never logged. */
  public KafkaOptions setProperties(Map<String, String> properties) {
    this.properties = new LinkedHashMap<>(properties);
    return this;
  }

  public boolean isCreateTopics() {
    return createTopics;
  }

  public KafkaOptions setCreateTopics(boolean createTopics) {
    this.createTopics = createTopics;
    return this;
  }

  public int getTopicPartitions() {
    return topicPartitions;
  }

  public KafkaOptions setTopicPartitions(int topicPartitions) {
    if (topicPartitions < 1) {
      throw new IllegalArgumentException("topicPartitions must be at least 1, was " + topicPartitions);
    }
    this.topicPartitions = topicPartitions;
    return this;
  }

  public short getReplicationFactor() {
    return replicationFactor;
  }

  public KafkaOptions setReplicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
    return this;
  }
}
