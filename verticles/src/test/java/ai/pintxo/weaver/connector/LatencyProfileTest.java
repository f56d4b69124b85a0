package ai.pintxo.weaver.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.kafka.TopicProfile;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The latency profile's settings reach the Kafka clients the weaver builds: read back from the
 * configuration each real client hands its metric reporters, not from our own maps.
 */
class LatencyProfileTest {

  /** A metric reporter that keeps the configuration of every client it is configured by, by client id. */
  public static final class ConfigCapture implements MetricsReporter {
    static final Map<String, Map<String, Object>> SEEN = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
      SEEN.put(String.valueOf(configs.get("client.id")), new HashMap<>(configs));
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
    }

    @Override
    public void metricChange(KafkaMetric metric) {
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
    }

    @Override
    public void close() {
    }
  }

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    ConfigCapture.SEEN.clear();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  /** Nothing listens there: building a client does not connect. */
  private static KafkaOptions kafka(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(extra);
    properties.put("metric.reporters", ConfigCapture.class.getName());
    return new KafkaOptions().setBootstrapServers("127.0.0.1:9").setProperties(properties);
  }

  private Map<String, Object> producerConfig(KafkaOptions options, TopicProfile profile) {
    KafkaWriteStream<byte[], byte[]> producer = Await.result(vertx.executeBlocking(() ->
        KafkaClients.sourceProducer(vertx, options, "profile-test-" + profile, profile)));
    Await.result(producer.close());
    return ConfigCapture.SEEN.entrySet().stream().filter(e -> e.getKey().startsWith("profile-test-" + profile))
        .findFirst().orElseThrow().getValue();
  }

  @Test
  void thePythSourceDefaultsToTheLatencyProfileDeclaredAsAnOption() {
    assertThat(new PythOptions().getProfile()).isEqualTo(TopicProfile.LATENCY);
    assertThat(new PythOptions().toJson().getString("profile")).isEqualTo("latency");
    JsonObject feeds = new JsonObject().put("feeds", List.of(Map.of("id", "a".repeat(64), "symbol", "Crypto.BTC/USD")));
    PythOptions read = new PythOptions(feeds.copy().put("profile", "throughput"));
    assertThat(read.getProfile()).isEqualTo(TopicProfile.THROUGHPUT);
    assertThat(new PythOptions(read.toJson()).getProfile()).isEqualTo(TopicProfile.THROUGHPUT);
    assertThatThrownBy(() -> new PythOptions(feeds.copy().put("profile", "fast")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("profile");
    assertThat(new EngineConnectorOptions().getLatencyTopics()).containsExactly(PythPrice.TOPIC.name());
    EngineConnectorOptions connector = new EngineConnectorOptions(new JsonObject().put("latencyTopics", List.of()));
    assertThat(connector.profileOf(PythPrice.TOPIC.name())).isEqualTo(TopicProfile.THROUGHPUT);
    assertThat(new EngineConnectorOptions(connector.toJson()).getLatencyTopics()).isEmpty();
  }

  @Test
  void theProducerOfALatencyTopicDoesNotLinger() {
    Map<String, Object> latency = producerConfig(kafka(Map.of()), TopicProfile.LATENCY);
    assertThat(latency).containsEntry("linger.ms", "0").containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
        .containsEntry("max.in.flight.requests.per.connection", "1");
    assertThat(producerConfig(kafka(Map.of()), TopicProfile.THROUGHPUT)).containsEntry("linger.ms", "5");
  }

  @Test
  void kafkaPropertiesWinOverTheProfile() {
    ConfigCapture.SEEN.clear();
    assertThat(producerConfig(kafka(Map.of("linger.ms", "20")), TopicProfile.LATENCY)).containsEntry("linger.ms", "20");
  }

  @Test
  void theConnectorConsumerFetchesQuicklyWhenItConsumesALatencyTopic() throws Exception {
    EngineConnectorOptions withPrices = new EngineConnectorOptions().setKafka(kafka(Map.of()));
    assertThat(withPrices.getTopics()).contains(PythPrice.TOPIC.name());
    try (CommitOnRevokeConsumer consumer = new CommitOnRevokeConsumer(CommitOnRevokeConsumer.config(withPrices))) {
      String id = consumer.groupMetadata().groupId();
      assertThat(id).isEqualTo(EngineConnectorOptions.DEFAULT_GROUP_ID);
    }
    assertThat(onlyConsumerConfig()).containsEntry("fetch.max.wait.ms", "10");

    ConfigCapture.SEEN.clear();
    EngineConnectorOptions withoutLatencyTopics = new EngineConnectorOptions().setKafka(kafka(Map.of())).setLatencyTopics(List.of());
    try (CommitOnRevokeConsumer consumer = new CommitOnRevokeConsumer(CommitOnRevokeConsumer.config(withoutLatencyTopics))) {
      assertThat(consumer.groupMetadata().groupId()).isEqualTo(EngineConnectorOptions.DEFAULT_GROUP_ID);
    }
    assertThat(onlyConsumerConfig()).doesNotContainKey("fetch.max.wait.ms").containsKey("group.id");
  }

  private static Map<String, Object> onlyConsumerConfig() {
    assertThat(ConfigCapture.SEEN).hasSize(1);
    return ConfigCapture.SEEN.values().iterator().next();
  }
}
