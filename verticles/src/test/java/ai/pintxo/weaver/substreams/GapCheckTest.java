package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Jump;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gap check: a block number that skips or goes backwards without an undo signal, sent by the
 * emulator ({@link Jump}), stops the substream naming both block numbers, and nothing of that
 * block reaches Kafka; {@code gapCheck: "backwardsOnly"} accepts skips, never a step backwards.
 */
class GapCheckTest {

  static final String SEAPORT = "pintxo-seaport";
  static final String TOPIC = SEAPORT + "-substreams-topic";

  @TempDir
  Path dir;

  Harness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private SubstreamsVerticle run(Jump jump, String gapCheck) {
    harness = new Harness(dir);
    harness.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0)).addJump(jump));
    return harness.deploy(harness.options(SEAPORT, TestPackages.seaport(), "SeaportStrategy", "metrics_out", 300)
        .setUndoBufferSize(0).setMaxBatchBlocks(10).setGapCheck(gapCheck));
  }

  private static Throwable failure(SubstreamsVerticle v) {
    return Await.result(v.completion().transform(ar -> Future.succeededFuture(ar.cause())));
  }

  /** @return the block numbers of the committed records */
  private Set<Long> blocksInKafka() {
    return blocks(harness.records(TOPIC));
  }

  private static Set<Long> blocks(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<Long> blocks = new TreeSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      PintxoMetric m = PintxoMetric.TOPIC.decode(r.value(), r.partition(), r.offset());
      blocks.add(Long.parseLong(m.id().split(":")[2].substring("block=".length())));
    }
    return blocks;
  }

  @Test
  void aSkippedBlockNumberStopsAStrictSubstreamWithBothNumbers() {
    SubstreamsVerticle v = run(new Jump(150, 153), "strict");
    Throwable err = failure(v);
    assertThat(err).isInstanceOf(SubstreamsException.class)
        .hasMessageContaining("substream " + SEAPORT)
        .hasMessageContaining("block 153 arrived after block 149 without an undo signal")
        .hasMessageContaining("3 block number(s) skipped")
        .hasMessageContaining("backwardsOnly");
    assertThat(harness.cursor(SEAPORT).map(c -> c.blockNumber()).orElse(-1L)).isLessThanOrEqualTo(149);
    assertThat(blocksInKafka()).allSatisfy(b -> assertThat(b).isLessThan(150));
    assertThat(harness.emulator.sessions()).as("stopped for good, never retried").isEqualTo(1);
  }

  @Test
  void backwardsOnlyAcceptsASkip() {
    SubstreamsVerticle v = run(new Jump(150, 153), "backwardsOnly");
    Await.result(v.completion());
    Set<Long> blocks = blocksInKafka();
    assertThat(blocks).hasSize(297).doesNotContain(150L, 151L, 152L).contains(149L, 153L, 299L);
  }

  @Test
  void aBlockNumberGoingBackwardsStopsEvenABackwardsOnlySubstream() {
    SubstreamsVerticle v = run(new Jump(150, 140), "backwardsOnly");
    Throwable err = failure(v);
    assertThat(err).isInstanceOf(SubstreamsException.class)
        .hasMessageContaining("block 140 arrived after block 149 without an undo signal (the block number went backwards)");
    assertThat(harness.cursor(SEAPORT).map(c -> c.blockNumber()).orElse(-1L)).isLessThanOrEqualTo(149);
    // Each block once: the repeated 140 was never produced. One read for both sides: a transaction's commit
    // markers may land between two reads (see SubstreamsHarness.records(String, int)).
    List<ConsumerRecord<byte[], byte[]>> records = harness.records(TOPIC);
    assertThat(records).hasSize(blocks(records).size());
  }
}
