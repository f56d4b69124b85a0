package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metric;
import ai.pintxo.weaver.substreams.strategies.SeaportStrategy;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.Reorg;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code undoMode: "propagate"} end to end: Substreams emulator (a live chain, finality 12 blocks
 * behind the head, reorgs of depth 1 to 12) → SubstreamsVerticle → embedded Kafka →
 * EngineConnectorVerticle → Vespa emulator. After each reorg Vespa holds exactly the canonical
 * chain's documents, which is what a final-blocks-only run gives once those blocks are final, and it
 * holds the head's documents while they are not final yet.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubstreamsReorgPropagationTest {

  static final String NAME = "pintxo-seaport";
  static final int FINALITY = 12;

  @TempDir
  Path dir;

  Harness harness;
  VespaEmulator vespa;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  void start(SubstreamsEmulatorOptions emulator) {
    harness = new Harness(dir);
    harness.emulator(emulator.setFinalityLag(FINALITY).setOutputs(Payloads.seaportRolling()).setBlocksPerSecond(0));
    vespa = Await.result(VespaEmulator.start(harness.vertx, new VespaEmulatorOptions()));
    Await.result(harness.vertx.deployVerticle(() -> new EngineConnectorVerticle(new EngineConnectorOptions().setKafka(harness.kafkaOptions())
        .setTopics(List.of(PintxoMetric.TOPIC.name())).setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint()))
        .setCommitInterval(Duration.ofMillis(100))), new DeploymentOptions()));
  }

  SubstreamsOptions propagating() {
    return harness.options(NAME, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 0).setUndoMode(SubstreamsOptions.UNDO_PROPAGATE)
        .setUndoBufferSize(FINALITY);
  }

  @Test
  void afterEveryReorgOfDepthOneToTheBufferSizeVespaHoldsTheCanonicalChainAndTheHead() {
    SubstreamsEmulatorOptions chain = new SubstreamsEmulatorOptions().setChainHead(60);
    for (int depth = 1; depth <= FINALITY; depth++) {
      chain.addReorg(new Reorg(60 + 30L * depth, depth));
    }
    start(chain);
    harness.deploy(propagating());
    awaitCanonical(60);
    assertThat(vespa.document("metric", id(Payloads.seaportKey(60, 0)))).as("the head block's document, %d blocks before it is final",
        FINALITY).isPresent();
    for (int depth = 1; depth <= FINALITY; depth++) {
      long fork = 60 + 30L * depth;
      long head = fork + depth + 5; // the reorg fires when the stream sends fork + depth; then 5 blocks of the new branch
      harness.emulator.advanceHead(head);
      int reorgs = depth;
      Await.until("undo signal " + depth, Duration.ofSeconds(30), () -> harness.emulator.undosSent() >= reorgs,
          harness.emulator::undosSent);
      awaitCanonical(head);
      // A document of the abandoned branch is gone, one of the new branch is there, at the head, before it is final.
      assertThat(vespa.document("metric", id(Payloads.seaportKey(fork + 1, 0)))).as("abandoned block %d's document", fork + 1).isEmpty();
      assertThat(vespa.document("metric", id(Payloads.seaportKey(head, 0)))).as("head block %d's document", head).isPresent();
    }
    assertThat(harness.emulator.undosSent()).isEqualTo(FINALITY);
    Map<String, Integer> kinds = compensationKinds();
    assertThat(kinds.get(ReorgHeaders.RESTORE)).as("documents restored").isPositive();
    assertThat(kinds.get(ReorgHeaders.REMOVE)).as("documents removed").isPositive();
    assertThat(harness.count("weaver.substreams.compensations")).isEqualTo(kinds.values().stream().mapToInt(i -> i).sum());
  }

  @Test
  void aReorgWhileTheSubstreamWasDownIsCompensatedFromTheJournalRebuiltFromKafka() {
    Reorg whileDown = new Reorg(95, 8);
    start(new SubstreamsEmulatorOptions().setChainHead(100).addReorg(whileDown));
    String first = Await.result(harness.vertx.deployVerticle(new SubstreamsVerticle(propagating(), Map.of()), new DeploymentOptions()));
    awaitCanonical(100); // blocks 96..100 of the original branch are in Vespa, not final
    assertThat(vespa.document("metric", id(Payloads.seaportKey(100, 0)))).isPresent();
    harness.cursorAt(NAME, 100);
    Await.result(harness.vertx.undeploy(first)); // the substream stops (the connector and Vespa run on)
    harness.emulator.fireWhileDisconnected(whileDown);
    harness.emulator.advanceHead(110);
    harness.deploy(propagating()); // a new instance: its journal is rebuilt from the topic
    Await.until("the undo on resume", Duration.ofSeconds(30), () -> harness.emulator.undosSent() >= 1, harness.emulator::undosSent);
    awaitCanonical(110);
    assertThat(vespa.document("metric", id(Payloads.seaportKey(100, 0)))).as("the abandoned head's document").isEmpty();
    assertThat(harness.cursorAt(NAME, 110).blockNumber()).isEqualTo(110);
    assertThat(compensationKinds().get(ReorgHeaders.REMOVE)).as("documents of blocks 96..100 removed").isPositive();
  }

  /** Waits until Vespa's metric documents are exactly those of the chain as it is now, blocks 0 to {@code head}. */
  void awaitCanonical(long head) {
    Map<String, String> expected = canonical(head);
    Await.until("Vespa holding the canonical chain up to block " + head, Duration.ofSeconds(30), () -> vespaValues().equals(expected),
        () -> difference(expected, vespaValues()));
  }

  /** @return document id → value a final-blocks-only run gives for blocks 0 to head, computed from the emulator's chain */
  Map<String, String> canonical(long head) {
    SeaportStrategy strategy = new SeaportStrategy();
    Map<String, String> out = new TreeMap<>();
    for (long n = 0; n <= head; n++) {
      for (Metric m : Payloads.seaportRollingMetrics(n, harness.emulator.branchOf(n, false)).getMetricsList()) {
        PintxoMetric metric = strategy.metric(m.getKey(), m.getValue());
        out.put(metric.id(), metric.value());
      }
    }
    return out;
  }

  Map<String, String> vespaValues() {
    Map<String, String> out = new TreeMap<>();
    for (String id : List.copyOf(vespa.ids("metric"))) {
      vespa.document("metric", id).ifPresent(doc -> {
        JsonObject fields = doc.containsKey("fields") ? doc.getJsonObject("fields") : doc;
        out.put(id, fields.getString("value"));
      });
    }
    return out;
  }

  static String difference(Map<String, String> expected, Map<String, String> actual) {
    Map<String, String> missingOrWrong = new TreeMap<>();
    expected.forEach((k, v) -> {
      if (!v.equals(actual.get(k))) {
        missingOrWrong.put(k, v + " (Vespa: " + actual.get(k) + ")");
      }
    });
    List<String> extra = actual.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
    return "expected but missing or different: " + missingOrWrong + "; in Vespa only: " + extra;
  }

  static String id(String key) {
    return new SeaportStrategy().metric(key, "").id();
  }

  /** @return compensating records on the topic, by kind */
  Map<String, Integer> compensationKinds() {
    Map<String, Integer> out = new TreeMap<>(Map.of(ReorgHeaders.RESTORE, 0, ReorgHeaders.REMOVE, 0));
    for (ConsumerRecord<byte[], byte[]> r : harness.records(PintxoMetric.TOPIC.name())) {
      ReorgHeaders.last(r.headers(), ReorgHeaders.UNDO).ifPresent(kind -> out.merge(kind, 1, Integer::sum));
    }
    return out;
  }
}
