package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200,000 updates of 50,000 documents over 4 partitions while Vespa answers 10% 429/503, then is
 * down for 5 s, then answers with up to 500 ms latency; meanwhile a second connector instance joins
 * and later leaves the group (two rebalances). Afterwards every document holds the last value
 * produced for it, nothing was dead-lettered, and no committed offset ever went backwards.
 */
class FeedFaultToleranceTest {

  static final int DOCUMENTS = 50_000;
  static final int UPDATES = 200_000;
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(new ApiPayloads(1, Map.of()));
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void everyDocumentEndsWithItsLastValueThroughErrorsOutageLatencyAndRebalances() throws Exception {
    pipeline.probe.createTopics(List.of(Token.TOPIC.name()), 4);
    List<byte[][]> records = new ArrayList<>(UPDATES);
    Map<String, String> last = new HashMap<>();
    for (int seq = 0; seq < UPDATES; seq++) {
      String id = "doc-" + (seq * 7919L % DOCUMENTS);
      Token token = new Token(id, "s", "v" + seq, null);
      records.add(new byte[][] {Token.TOPIC.keySerde().encode(id), Token.TOPIC.encode(token)});
      last.put(id, "v" + seq);
    }
    pipeline.probe.produce(Token.TOPIC.name(), records);

    EngineConnectorOptions options = pipeline.connectorOptions().setTopics(List.of(Token.TOPIC.name()));
    options.getVespa().setMaxBackoff(Duration.ofSeconds(1)).setCircuitBreakerGrace(Duration.ofSeconds(2))
        .setCircuitBreakerProbeInterval(Duration.ofMillis(200));
    Map<TopicPartition, Long> highestCommitted = new ConcurrentHashMap<>();
    List<String> regressions = new ArrayList<>();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        pipeline.probe.committed(options.getGroupId()).forEach((tp, offset) -> {
          Long before = highestCommitted.put(tp, offset);
          if (before != null && offset < before) {
            regressions.add(tp + ": " + before + " -> " + offset);
          }
        });
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();

    pipeline.vespa.faults().errors(0.1, 429, 503);
    pipeline.deploy(() -> new EngineConnectorVerticle(options));
    awaitAcknowledged(30_000);
    String second = pipeline.deploy(() -> new EngineConnectorVerticle(options)); // rebalance: 2 instances share 4 partitions
    awaitAcknowledged(70_000);

    pipeline.vespa.faults().clear().outage(6_000);
    long outageEnds = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    // Signals instead of sleeps: the breaker opens 2 s into the outage (what was acknowledged before
    // it is committed by then: the commit interval is 200 ms); then, rather than waiting
    // a while and hoping something would have happened, wait for the feeders to have been refused
    // several more times (probes and retries: the pipeline is working) and check nothing moved.
    Await.until("the breaker opens during the outage", Duration.ofSeconds(10), () -> circuitOpen() == 1.0, () -> circuitOpen());
    long committedWhileOpen = committedSum(options.getGroupId());
    double retriesWhileOpen = pipeline.count("weaver.feed.retries");
    Await.until("probes refused while open", Duration.ofSeconds(5), () -> pipeline.count("weaver.feed.retries") >= retriesWhileOpen + 3,
        () -> pipeline.count("weaver.feed.retries") - retriesWhileOpen);
    assertThat(committedSum(options.getGroupId())).as("no offset moves while Vespa is down and the breaker open")
        .isEqualTo(committedWhileOpen);
    assertThat(circuitOpen()).as("the circuit breaker is open").isEqualTo(1.0);
    // Pacing, not a proof: the outage lasts its full 6 s before latency replaces it.
    Thread.sleep(Math.max(0, (outageEnds - System.nanoTime()) / 1_000_000));
    pipeline.vespa.faults().clear().latency(0, 500);
    awaitAcknowledged(110_000);
    pipeline.undeploy(second); // rebalance back to one instance
    Thread.sleep(5_000);
    pipeline.vespa.faults().clear();

    Await.until("every update committed", Duration.ofSeconds(240),
        () -> pipeline.probe.lag(options.getGroupId(), List.of(Token.TOPIC.name())) == 0,
        () -> "lag " + pipeline.probe.lag(options.getGroupId(), List.of(Token.TOPIC.name())) + ", applied "
            + pipeline.vespa.operationsApplied());
    sampling.set(false);
    sampler.join();

    assertThat(pipeline.vespa.count("tokens")).isEqualTo(DOCUMENTS);
    List<String> wrong = new ArrayList<>();
    last.forEach((id, value) -> {
      String stored = pipeline.vespa.document("tokens", id).map(d -> d.getString("name")).orElse(null);
      if (!value.equals(stored)) {
        wrong.add(id + " holds " + stored + ", last produced " + value);
      }
    });
    assertThat(wrong).as("documents not holding the last value produced for them").isEmpty();
    // At least once: every record acknowledged by a Vespa write (updates of a document waiting behind
    // one in flight share one merged write, so Vespa sees fewer operations than records).
    assertThat(pipeline.count("weaver.documents.fed", "result", "ok")).as("records acknowledged, some twice").isGreaterThanOrEqualTo(UPDATES);
    assertThat(pipeline.vespa.operationsApplied()).as("merged writes").isGreaterThanOrEqualTo(DOCUMENTS).isLessThanOrEqualTo(UPDATES * 2L);
    assertThat(regressions).as("committed offsets that went backwards").isEmpty();
    assertThat(pipeline.probe.count(Token.TOPIC.deadLetterTopic())).as("429, 503 and outages are never dead-lettered").isZero();
    assertThat(pipeline.count("weaver.feed.retries", "status", "429")).isPositive();
    assertThat(pipeline.count("weaver.feed.retries", "status", "503")).isPositive();
    assertThat(pipeline.count("weaver.feed.retries", "status", "transport")).as("the outage").isPositive();
    assertThat(pipeline.count("weaver.connector.rebalances")).as("the second instance joined and left").isPositive();
  }

  private static double circuitOpen() {
    return pipeline.registry.find("weaver.feed.circuit.open").gauges().stream().mapToDouble(g -> g.value()).max().orElse(0);
  }

  private static long committedSum(String group) {
    return pipeline.probe.committed(group).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits until this many records were acknowledged: the phases of the run happen at fractions of
   * the stream. Counted in records, not in Vespa operations: updates of a document that wait behind
   * one in flight are merged into one write, so under injected latency the operations Vespa sees
   * can end below any fixed share of the records (a run stalled at 109,170 of 110,000 that way).
   */
  private static void awaitAcknowledged(long records) {
    Await.until(records + " records acknowledged", Duration.ofSeconds(180),
        () -> pipeline.count("weaver.documents.fed", "result", "ok") >= records,
        () -> pipeline.count("weaver.documents.fed", "result", "ok") + " (Vespa operations " + pipeline.vespa.operationsApplied() + ")");
  }
}
