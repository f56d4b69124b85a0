package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector is undeployed mid-stream while Vespa is slow and flaky, then deployed again: every
 * offset it committed was acknowledged by Vespa, and in the end no document is missing.
 */
class AtLeastOnceTest {

  static final ApiPayloads PAYLOADS = new ApiPayloads(99, Map.of("pools", 3000));
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void undeployMidStreamLosesNothing() {
    pipeline.vespa.faults().latency(10, 40).errors(0.1, 429, 503);
    pipeline.deploy(() -> new ApiPollerVerticle(pipeline.pollerOptions(List.of("pools"))));
    Await.until("3000 pools in Kafka", Duration.ofSeconds(60), () -> pipeline.probe.count(Pool.TOPIC.name()) == 3000,
        () -> pipeline.probe.count(Pool.TOPIC.name()));

    EngineConnectorOptions options = pipeline.connectorOptions().setTopics(List.of(Pool.TOPIC.name()));
    options.getVespa().setMaxInflight(8);
    String first = pipeline.deploy(() -> new EngineConnectorVerticle(options));
    Await.until("some pools fed", Duration.ofSeconds(60), () -> pipeline.vespa.count("pool") >= 400, () -> pipeline.vespa.count("pool"));
    pipeline.undeploy(first);

    int fedBeforeRestart = pipeline.vespa.count("pool");
    assertThat(fedBeforeRestart).as("the connector stopped mid-stream").isLessThan(3000);
    Map<TopicPartition, Long> committed = pipeline.probe.committed(options.getGroupId());
    assertThat(committed).as("it committed progress on its way out").isNotEmpty();
    Set<String> inVespa = new HashSet<>(pipeline.vespa.ids("pool"));
    long committedRecords = 0;
    for (ConsumerRecord<byte[], byte[]> record : pipeline.probe.readAll(Pool.TOPIC.name())) {
      long next = committed.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
      if (record.offset() < next) {
        committedRecords++;
        String id = Pool.TOPIC.keySerde().decode(record.key(), null);
        assertThat(inVespa).as("offset " + record.offset() + " of partition " + record.partition()
            + " was committed, so Vespa must hold pool " + id).contains(id);
      }
    }
    assertThat(committedRecords).as("records covered by committed offsets").isPositive();

    pipeline.deploy(() -> new EngineConnectorVerticle(options));
    Await.until("every pool in Vespa", Duration.ofSeconds(120), () -> pipeline.vespa.count("pool") == 3000, () -> pipeline.vespa.count("pool"));
    Set<String> expected = new HashSet<>();
    PAYLOADS.items("pools").forEach(item -> expected.add(item.get("pool").asText()));
    assertThat(pipeline.vespa.ids("pool")).containsExactlyInAnyOrderElementsOf(expected);
    Await.until("everything committed", Duration.ofSeconds(30),
        () -> pipeline.probe.lag(options.getGroupId(), List.of(Pool.TOPIC.name())) == 0,
        () -> pipeline.probe.lag(options.getGroupId(), List.of(Pool.TOPIC.name())));
    assertThat(pipeline.count("weaver.feed.retries")).as("the flaky Vespa was retried").isPositive();
    assertThat(pipeline.count("weaver.dead.letters")).as("429 and 503 are never dead-lettered").isZero();
  }
}
