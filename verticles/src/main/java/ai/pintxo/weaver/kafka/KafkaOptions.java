package ai.pintxo.weaver.kafka;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a verticle reaches Kafka: bootstrap servers, extra client properties (security, SASL, …),
 * and how missing topics are created. Declared once, shared by every verticle's options and the
 * deployment file's top-level {@code kafka} section.
 */
public final class KafkaOptions extends Options<KafkaOptions> {

  /** Partitions of the topics the weaver creates; 4 lets up to 4 connector instances share a topic. */
  public static final int DEFAULT_TOPIC_PARTITIONS = 4;
  /** Replication of created topics; 1 suits the embedded single-node broker, set 3 for a cluster. */
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  public static final OptionSpec<KafkaOptions> SPEC = new OptionSpec<>("kafka",
      "How the weaver reaches Kafka (given to every verticle; a verticle's own kafka section wins key by key)", KafkaOptions::new);
  static final Option<String> BOOTSTRAP_SERVERS = SPEC.option("bootstrapServers", OptionTypes.string(), "",
      "host:port[,host:port…] of an external cluster; empty runs the embedded broker");
  static final Option<Map<String, String>> PROPERTIES = SPEC.option("properties", OptionTypes.stringMap(), Map.of(),
      "extra Kafka client properties (security.protocol, sasl.mechanism, …); values are never logged");
  static final Option<Boolean> CREATE_TOPICS = SPEC.option("createTopics", OptionTypes.bool(), true,
      "create missing topics (and their .dlq) at start");
  static final Option<Integer> TOPIC_PARTITIONS = SPEC.option("topicPartitions", OptionTypes.integer(1, 10_000), DEFAULT_TOPIC_PARTITIONS,
      "partitions of created topics: the most connector instances that can share a topic");
  static final Option<Integer> REPLICATION_FACTOR = SPEC.option("replicationFactor", OptionTypes.integer(-1, 32),
      (int) DEFAULT_REPLICATION_FACTOR, "replication of created topics (-1: the broker's default; 3 for a cluster)");
  static final Option<EmbeddedKafkaOptions> EMBEDDED = SPEC.option("embedded", OptionTypes.options(EmbeddedKafkaOptions.SPEC),
      new EmbeddedKafkaOptions(), "the embedded broker the launcher starts when bootstrapServers is empty");

  private static final String[] RESERVED = {"bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer"};

  static {
    SPEC.rule(o -> {
      if (o.getReplicationFactor() == 0) {
        throw new ConfigException(o.key("replicationFactor"), "must be -1 (broker default) or at least 1, was 0");
      }
      for (String reserved : RESERVED) {
        if (o.getProperties().containsKey(reserved)) {
          throw new ConfigException(o.key("properties." + reserved), "is set by the weaver; use kafka.bootstrapServers for the servers");
        }
      }
    });
  }

  public KafkaOptions() {
    super(SPEC);
  }

  /**
   * Declares the {@code kafka} option of a verticle's options: every verticle takes the deployment's
   * {@code kafka} section, overridden key by key by its own.
   */
  public static Option<KafkaOptions> declareIn(OptionSpec<?> spec) {
    return spec.option("kafka", OptionTypes.options(SPEC), new KafkaOptions(), "Kafka (the deployment's kafka section, overridden key by key)");
  }

  public KafkaOptions(KafkaOptions other) {
    super(other);
  }

  /** Reads and validates; see {@link #toJson()} for the keys. */
  public KafkaOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  /** @throws ConfigException when no bootstrap servers are set */
  public KafkaOptions validateForClients(String key) {
    if (getBootstrapServers().isBlank()) {
      throw new ConfigException(key + ".bootstrapServers", "is required (host:port[,host:port…])");
    }
    return this;
  }

  /** @return client configuration shared by producers, consumers and admin clients */
  public Map<String, String> clientConfig() {
    Map<String, String> config = new LinkedHashMap<>(getProperties());
    config.put("bootstrap.servers", getBootstrapServers());
    return config;
  }

  public String getBootstrapServers() {
    return get(BOOTSTRAP_SERVERS);
  }

  public KafkaOptions setBootstrapServers(String bootstrapServers) {
    return set(BOOTSTRAP_SERVERS, bootstrapServers == null ? "" : bootstrapServers);
  }

  public Map<String, String> getProperties() {
    return get(PROPERTIES);
  }

  /** Extra Kafka client properties, e.g. {@code security.protocol}; their values are never logged. */
  public KafkaOptions setProperties(Map<String, String> properties) {
    return set(PROPERTIES, new LinkedHashMap<>(properties));
  }

  public boolean isCreateTopics() {
    return get(CREATE_TOPICS);
  }

  public KafkaOptions setCreateTopics(boolean createTopics) {
    return set(CREATE_TOPICS, createTopics);
  }

  public int getTopicPartitions() {
    return get(TOPIC_PARTITIONS);
  }

  public KafkaOptions setTopicPartitions(int topicPartitions) {
    return set(TOPIC_PARTITIONS, topicPartitions);
  }

  public short getReplicationFactor() {
    return get(REPLICATION_FACTOR).shortValue();
  }

  public KafkaOptions setReplicationFactor(short replicationFactor) {
    return set(REPLICATION_FACTOR, (int) replicationFactor);
  }

  public EmbeddedKafkaOptions getEmbedded() {
    return get(EMBEDDED);
  }

  public KafkaOptions setEmbedded(EmbeddedKafkaOptions embedded) {
    return set(EMBEDDED, embedded);
  }
}
