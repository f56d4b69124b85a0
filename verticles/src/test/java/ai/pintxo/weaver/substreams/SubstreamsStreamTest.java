package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Fault;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.Reorg;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Emulator → SubstreamsVerticle → embedded Kafka: reorgs, failures, authentication, read with a read-committed consumer. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SubstreamsStreamTest {

  static final String SEAPORT = "pintxo-seaport";

  @TempDir
  Path dir;

  Harness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  /** @return block number → the values of its records, from the read-committed topic */
  Map<Long, java.util.List<String>> valuesByBlock(String topic, int expectedRecords) {
    Map<Long, java.util.List<String>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : harness.records(topic, expectedRecords)) {
      PintxoMetric m = PintxoMetric.TOPIC.decode(r.value(), r.partition(), r.offset());
      long block = Long.parseLong(m.id().split(":")[2].substring("block=".length()));
      out.computeIfAbsent(block, b -> new java.util.ArrayList<>()).add(m.value());
    }
    return out;
  }

  @Test
  void reorgInsideTheUndoBufferNeverReachesKafka() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setFinalityLag(50).setOutputs(Payloads.seaport(1, 0)).addReorg(new Reorg(100, 5)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 300)
        .setUndoBufferSize(12));
    Await.result(v.completion());
    assertThat(harness.emulator.undosSent()).isEqualTo(1);
    Map<Long, java.util.List<String>> values = valuesByBlock("pintxo-seaport-substreams-topic", 300);
    assertThat(values).hasSize(300);
    values.forEach((block, vals) -> {
      boolean replaced = block > 100 && block <= 105;
      assertThat(vals).as("block %d", block).containsExactly(Payloads.seaportValue(block, 0, replaced ? 1 : 0));
    });
    assertThat(harness.cursorAt(SEAPORT, 299).blockNumber()).isEqualTo(299);
    assertThat(harness.count("weaver.substreams.undo.signals")).isEqualTo(1);
  }

  @Test
  void undoDeeperThanTheBufferStopsTheStreamWithAClearError() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setFinalityLag(50).setOutputs(Payloads.seaport(1, 0)).addReorg(new Reorg(100, 20)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 300)
        .setUndoBufferSize(12));
    Throwable err = Await.result(v.completion().transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
    assertThat(err).isInstanceOf(SubstreamsException.class).hasMessageContaining("cannot undo down to block 100")
        .hasMessageContaining("already released to Kafka");
    // Deterministic instead of sleeping: a new session only comes from a scheduled reconnect, which
    // counts a reconnect first, and none can be scheduled once the substream has stopped.
    assertThat(harness.count("weaver.substreams.reconnects")).as("no retry before or after the fatal error").isZero();
    assertThat(harness.emulator.sessions()).as("one session, never retried").isEqualTo(1);
  }

  @Test
  void wrongKeyIsOneClearErrorWithoutRetries() throws Exception {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setApiKey("right-key").setOutputs(Payloads.seaport(1, 0)));
    Path keyFile = Files.writeString(dir.resolve("key"), "wrong-key");
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 100)
        .setApiKeyFile(keyFile.toString()).setCluster(new ai.pintxo.weaver.cluster.ClusterOptions().setPipeline("seaport")));
    Throwable err = Await.result(v.completion().transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
    assertThat(err).hasMessageContaining("UNAUTHENTICATED").hasMessageContaining("check the API key").hasMessageNotContaining("wrong-key");
    // What /pipelines and /ready show: the unit stopped with the reason, and the process not ready because of it.
    ai.pintxo.weaver.pipeline.PipelineBoard board = ai.pintxo.weaver.pipeline.PipelineBoard.of(harness.vertx);
    assertThat(board.units("seaport")).singleElement().satisfies(u -> {
      assertThat(u.state()).isEqualTo(ai.pintxo.weaver.pipeline.UnitState.STOPPED);
      assertThat(u.reason()).contains("UNAUTHENTICATED").doesNotContain("wrong-key");
    });
    assertThat(board.problems()).singleElement().asString().startsWith("seaport/" + SEAPORT + ": stopped: ").contains("UNAUTHENTICATED");
    // No sleep needed: a retry would count a reconnect before it connects, and a stopped substream schedules none.
    assertThat(harness.count("weaver.substreams.reconnects")).as("no retry scheduled").isZero();
    assertThat(harness.emulator.sessions()).as("one attempt, no retry storm").isEqualTo(1);
  }

  @Test
  void rightKeyFromTheEnvironmentStreams() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setApiKey("right-key").setOutputs(Payloads.seaport(1, 0)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 50)
        .setFinalBlocksOnly(true), Map.of("SUBSTREAMS_API_KEY", "right-key"));
    Await.result(v.completion());
    assertThat(valuesByBlock("pintxo-seaport-substreams-topic", 50)).hasSize(50);
  }

  @Test
  void unavailableAndInternalMidStreamResumeFromTheCursor() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(2, 10))
        .addFault(new Fault(5_000, GrpcStatus.UNAVAILABLE, "endpoint is shutting down, please reconnect", false))
        .addFault(new Fault(7_000, GrpcStatus.INTERNAL, "stream terminated by RST_STREAM", true)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 10_000));
    Await.result(v.completion());
    Map<Long, java.util.List<String>> values = valuesByBlock("pintxo-seaport-substreams-topic", 18_000);
    for (long b = 0; b < 10_000; b++) {
      if (Payloads.empty(b, 10)) {
        assertThat(values).as("empty block %d", b).doesNotContainKey(b);
      } else {
        assertThat(values.get(b)).as("block %d exactly once", b).containsExactlyInAnyOrder(Payloads.seaportValue(b, 0, 0),
            Payloads.seaportValue(b, 1, 0));
      }
    }
    assertThat(harness.count("weaver.substreams.reconnects")).isEqualTo(2);
    assertThat(harness.emulator.sessions()).isEqualTo(3);
    assertThat(harness.cursorAt(SEAPORT, 9_999).blockNumber()).isEqualTo(9_999);
  }

  @Test
  void aSlowKafkaPausesTheStreamInsteadOfFillingMemory() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(5, 0)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 3_000)
        .setMaxBatchBlocks(10).setMaxPendingBlocks(20));
    Await.result(v.completion());
    assertThat(harness.count("weaver.substreams.flow.pauses")).as("paused while transactions ran").isPositive();
    Map<Long, java.util.List<String>> values = valuesByBlock("pintxo-seaport-substreams-topic", 15_000);
    assertThat(values).hasSize(3_000);
    assertThat(values.values()).allSatisfy(vals -> assertThat(vals).hasSize(5));
  }

  @Test
  void aRealPackageStreamsItsOwnTypeAsJson() {
    byte[] spkg = ai.pintxo.weaver.testutil.SharedFixtures.bytes(RealPackagesTest.ERC20);
    SubstreamsPackage pkg = SubstreamsPackage.parse(spkg, RealPackagesTest.ERC20);
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.filled(pkg.outputDescriptor("map_events"), 4)));
    SubstreamsOptions options = harness.options("erc20-events", pkg.raw(), "JsonStrategy", "map_events", 200);
    SubstreamsVerticle v = harness.deploy(options);
    Await.result(v.completion());
    java.util.List<ConsumerRecord<byte[], byte[]>> records = harness.records("erc20-events-substreams-topic", 150);
    assertThat(records).hasSize(150);
    ai.pintxo.weaver.codecs.substreams.SubstreamsOutput first = ai.pintxo.weaver.codecs.Topic.json("erc20-events-substreams-topic",
        ai.pintxo.weaver.codecs.substreams.SubstreamsOutput.class).decode(records.get(0).value(), 0, 0);
    assertThat(first.type()).isEqualTo("evm.tokens.contracts.v1.Events");
    assertThat(new io.vertx.core.json.JsonObject(first.json())).isNotEmpty();
    assertThat(harness.count("weaver.substreams.dead.letters")).isZero();
  }

  @Test
  void aStalledStreamIsDetectedByTheWatchdogAndResumed() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0)).setProgressIntervalMillis(100_000)
        .addFault(Fault.stall(700)));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 1_000)
        .setInactivityTimeout(Duration.ofSeconds(2)));
    Await.result(v.completion());
    assertThat(harness.count("weaver.substreams.reconnects")).isEqualTo(1);
    assertThat(valuesByBlock("pintxo-seaport-substreams-topic", 1_000)).hasSize(1_000);
  }

  @Test
  void keepalivePingsAreSentAndAnsweredWhileStreaming() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0)).setBlocksPerSecond(250));
    SubstreamsVerticle v = harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 1_000)
        .setKeepAliveInterval(Duration.ofSeconds(1)));
    Await.result(v.completion());
    assertThat(harness.emulator.pings()).as("a ping a second over a ~4 s stream").isGreaterThanOrEqualTo(2);
    assertThat(harness.count("weaver.substreams.reconnects")).as("answered pings keep the stream").isZero();
    assertThat(valuesByBlock("pintxo-seaport-substreams-topic", 1_000)).hasSize(1_000);
  }

  @Test
  void restartResumesFromTheStoredCursorAndRefusesAChangedModule() {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0)));
    SubstreamsOptions options = harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 1_000);
    SubstreamsVerticle first = harness.deploy(options);
    Await.result(first.completion());
    long sent = harness.emulator.blocksSent();
    // A finished substream keeps its unit while deployed (the stream runs once in the cluster): undeploy it first.
    harness.undeployAll();
    SubstreamsVerticle second = harness.deploy(new SubstreamsOptions(options.toJson()).setKafka(harness.kafkaOptions()).setStopBlock(1_500));
    Await.result(second.completion());
    assertThat(harness.emulator.blocksSent() - sent).as("the second run started after the cursor").isEqualTo(500 + 12);
    assertThat(valuesByBlock("pintxo-seaport-substreams-topic", 1_500)).hasSize(1_500);

    ai.pintxo.weaver.substreams.pb.v1.Package changed = TestPackages.seaport().toBuilder()
        .setModules(TestPackages.seaport().getModules().toBuilder().setModules(0,
            TestPackages.seaport().getModules().getModules(0).toBuilder().setInitialBlock(1))).build();
    SubstreamsOptions changedOptions = harness.options(SEAPORT, changed, "SeaportStrategy", "metrics_out", 2_000);
    Throwable err = Await.result(harness.vertx.deployVerticle(new SubstreamsVerticle(changedOptions, Map.of()))
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
    assertThat(err).hasMessageContaining("output module hash changed").hasMessageContaining("allowModuleHashChange");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
