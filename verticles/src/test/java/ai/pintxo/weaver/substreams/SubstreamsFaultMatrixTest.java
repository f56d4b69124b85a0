package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.testkit.activity.Activity;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Fault;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.Reorg;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.RecoveryClock;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.core.DeploymentOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix (RELIABILITY.md): Substreams faults, emulator → SubstreamsVerticle → Kafka → connector → Vespa
 * emulator, the chain at 100 blocks/s so the pipeline keeps up and what is measured is the recovery. The
 * stream ends with UNAVAILABLE mid-run: from the failed session's end to the first record of the failed block
 * or a later one in Vespa, and to every block's records there. A reorg: from the undo signal to the first
 * record of the new branch in Vespa, and to every document holding its final (new branch) value. Each ends
 * asserting every document Vespa should hold, with its last value.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubstreamsFaultMatrixTest {

  private static final String SEAPORT = "pintxo-seaport";
  private static final Pattern BLOCK = Pattern.compile("block=(\\d+)");

  @TempDir
  Path dir;

  @Test
  void unavailableMidStreamResumesAndEveryBlockReachesVespa() {
    long blocks = 1_000;
    long faultAt = 500;
    try (Harness h = new Harness(dir)) {
      h.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(2, 10)).setBlocksPerSecond(100)
          .addFault(new Fault(faultAt, GrpcStatus.UNAVAILABLE, "endpoint is shutting down, please reconnect", false)));
      VespaEmulator vespa = Await.result(VespaEmulator.start(h.vertx, new VespaEmulatorOptions()));
      RecoveryClock clock = RecoveryClock.on(vespa).arm((type, id, fields) -> type.equals("metric") && block(id) >= faultAt);
      connector(h, vespa);
      SubstreamsVerticle substream = h.deploy(h.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", blocks));
      Await.result(substream.completion());
      int expected = expectedDocuments(blocks, 2, 10);
      Await.until("every block's records in Vespa", Duration.ofSeconds(60), () -> vespa.count("metric") == expected, () -> vespa.count("metric"));
      clock.drained();
      List<Activity> sessions = sessions(h);
      assertThat(sessions).as("the failed session and the resumed one").hasSize(2);
      clock.faultEndedAt(sessions.get(0).closed());
      System.out.println(clock.report("Substreams UNAVAILABLE at block " + faultAt + " of " + blocks + " (100 blocks/s)"));
      assertValues(vespa, blocks, 2, 10, -1, 0);
    }
  }

  @Test
  void aReorgReachesVespaAsTheNewBranchOnly() throws Exception {
    long blocks = 600;
    Reorg reorg = new Reorg(300, 5);
    try (Harness h = new Harness(dir)) {
      h.emulator(new SubstreamsEmulatorOptions().setFinalityLag(50).setOutputs(Payloads.seaport(1, 0)).setBlocksPerSecond(100)
          .addReorg(reorg));
      VespaEmulator vespa = Await.result(VespaEmulator.start(h.vertx, new VespaEmulatorOptions()));
      RecoveryClock clock = RecoveryClock.on(vespa).arm((type, id, fields) -> {
        JsonNode value = RecoveryClock.field(fields, "value");
        return type.equals("metric") && value != null && value.asText().startsWith("fork-");
      });
      connector(h, vespa);
      SubstreamsVerticle substream = h.deploy(h.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", blocks)
          .setUndoBufferSize(12));
      // The emulator keeps no time of its undo signal: watched here, to the millisecond.
      Instant undoAt = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (undoAt == null && System.nanoTime() < deadline) {
        if (h.emulator.undosSent() > 0) {
          undoAt = Instant.now();
        } else {
          Thread.sleep(1);
        }
      }
      assertThat(undoAt).as("the undo signal was sent").isNotNull();
      clock.faultEndedAt(undoAt);
      Await.result(substream.completion());
      int expected = expectedDocuments(blocks, 1, 0);
      Await.until("every block's record in Vespa, the reorged ones on the new branch", Duration.ofSeconds(60),
          () -> vespa.count("metric") == expected && forkValues(vespa, reorg) == reorg.depth(), () -> vespa.count("metric"));
      clock.drained();
      System.out.println(clock.report("Substreams reorg of " + reorg.depth() + " blocks at block " + reorg.forkBlock()
          + " (finality lag 50, undo buffer 12, 100 blocks/s)"));
      assertValues(vespa, blocks, 1, 0, reorg.forkBlock(), reorg.depth());
    }
  }

  private static void connector(Harness h, VespaEmulator vespa) {
    Await.result(h.vertx.deployVerticle(() -> new EngineConnectorVerticle(new EngineConnectorOptions().setKafka(h.kafkaOptions())
        .setTopics(List.of(PintxoMetric.TOPIC.name())).setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint()))
        .setCommitInterval(Duration.ofMillis(200))), new DeploymentOptions()));
  }

  /** @return the sessions the emulator served, in start order */
  private static List<Activity> sessions(Harness h) {
    List<Activity> all = new ArrayList<>(h.emulator.activity().all());
    all.sort(Comparator.comparing(Activity::opened));
    return all;
  }

  private static long block(String id) {
    Matcher m = BLOCK.matcher(id);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static int expectedDocuments(long blocks, int perBlock, int emptyEvery) {
    int n = 0;
    for (long b = 0; b < blocks; b++) {
      n += Payloads.empty(b, emptyEvery) ? 0 : perBlock;
    }
    return n;
  }

  private static long forkValues(VespaEmulator vespa, Reorg reorg) {
    return vespa.ids("metric").stream().filter(id -> reorg.covers(block(id)))
        .filter(id -> vespa.document("metric", id).map(d -> d.getString("value").startsWith("fork-")).orElse(false)).count();
  }

  /** Every block's every metric in Vespa with its value: the new branch's for blocks a reorg replaced. */
  private static void assertValues(VespaEmulator vespa, long blocks, int perBlock, int emptyEvery, long forkBlock, int depth) {
    List<String> wrong = new ArrayList<>();
    for (long b = 0; b < blocks; b++) {
      if (Payloads.empty(b, emptyEvery)) {
        continue;
      }
      boolean replaced = depth > 0 && b > forkBlock && b <= forkBlock + depth;
      for (int i = 0; i < perBlock; i++) {
        String expected = Payloads.seaportValue(b, i, replaced ? 1 : 0);
        // SeaportStrategy's document id: the protocol, then the key without its "seaport_" prefix
        String id = "Opensea_Seaport:" + Payloads.seaportKey(b, i).substring("seaport_".length());
        String stored = vespa.document("metric", id).map(d -> d.getString("value")).orElse(null);
        if (!expected.equals(stored)) {
          wrong.add(id + " holds " + stored + ", expected " + expected);
        }
      }
    }
    assertThat(wrong).as("documents missing or not holding their last value").isEmpty();
  }
}
