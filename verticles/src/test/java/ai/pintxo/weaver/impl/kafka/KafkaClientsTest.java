package ai.pintxo.weaver.impl.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.testkit.junit.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void producerMetricsAreBoundWhileTheProducerIsOpenAndRemovedWhenItCloses() {
    // No broker is needed: building a producer does not connect.
    KafkaOptions options = new KafkaOptions().setBootstrapServers("127.0.0.1:9");
    KafkaWriteStream<byte[], byte[]> producer = Await.result(vertx.executeBlocking(() -> KafkaClients.producer(vertx, options, "weaver-test")));
    for (String name : List.of("kafka.producer.record.error.rate", "kafka.producer.buffer.available.bytes",
        "kafka.producer.request.latency.avg")) {
      assertThat(producerMeters(name)).as(name).isNotEmpty();
    }
    assertThat(producerMeters("kafka.producer.buffer.available.bytes")).singleElement()
        .satisfies(m -> assertThat(((io.micrometer.core.instrument.Gauge) m).value()).isEqualTo(32 * 1024 * 1024));
    Await.result(producer.close());
    assertThat(registry.getMeters()).as("no producer meter outlives its producer")
        .noneMatch(m -> m.getId().getName().startsWith("kafka.producer."));
  }

  private List<Meter> producerMeters(String name) {
    // client.id is numbered per producer (weaver-test-<n>): instances of one source do not share meters
    return registry.find(name).meters().stream().filter(m -> String.valueOf(m.getId().getTag("client.id")).matches("weaver-test-\\d+"))
        .toList();
  }
}
