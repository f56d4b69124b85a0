package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The substream runs in a JVM of its own and is killed with SIGKILL mid-stream; started again, it
 * resumes from the cursor committed with the data: a read-committed consumer sees every block's
 * records exactly once, with no gap.
 */
class SubstreamsKillRestartTest {

  static final int BLOCKS = 20_000;
  static final int PER_BLOCK = 3;

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void sigkillMidStreamThenRestartGivesEveryBlockExactlyOnce() throws Exception {
    try (Harness h = new Harness(dir)) {
      // Paced so that the kill lands mid-stream on a loaded machine too.
      h.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(PER_BLOCK, 10)).setBlocksPerSecond(2_000));
      SubstreamsOptions options = h.options("pintxo-seaport", TestPackages.seaport(), "SeaportStrategy", "metrics_out", BLOCKS)
          .setMaxBatchBlocks(200);
      Path config = Files.writeString(dir.resolve("substream.json"), options.toJson().encodePrettily());

      Process first = child(config, dir.resolve("first.log"));
      Await.until("a few thousand blocks committed", Duration.ofSeconds(120),
          () -> h.cursor("pintxo-seaport").map(c -> c.blockNumber() >= 2_000).orElse(false) || !first.isAlive(),
          () -> h.cursor("pintxo-seaport"));
      assertThat(first.isAlive()).as("the first run is still streaming").isTrue();
      first.destroyForcibly(); // SIGKILL: no shutdown hook, a transaction may be open
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long cursorAtKill = h.cursor("pintxo-seaport").orElseThrow().blockNumber();
      long recordsAtKill = h.records(PintxoMetric.TOPIC.name()).size();
      assertThat(cursorAtKill).as("killed mid-stream").isLessThan(BLOCKS - 1);

      Process second = child(config, dir.resolve("second.log"));
      assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("the second run reaches the stop block").isTrue();
      assertThat(second.exitValue()).as("second run exit code (log: %s)", Files.readString(dir.resolve("second.log"))).isZero();

      Map<Long, Integer> perBlock = new HashMap<>();
      int expectedRecords = (BLOCKS - BLOCKS / 10) * PER_BLOCK;
      List<ConsumerRecord<byte[], byte[]>> records = h.records(PintxoMetric.TOPIC.name(), expectedRecords);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        PintxoMetric m = PintxoMetric.TOPIC.decode(r.value(), r.partition(), r.offset());
        perBlock.merge(Long.parseLong(m.id().split(":")[2].substring("block=".length())), 1, Integer::sum);
      }
      List<String> wrong = new ArrayList<>();
      for (long b = 0; b < BLOCKS; b++) {
        int expected = Payloads.empty(b, 10) ? 0 : PER_BLOCK;
        int got = perBlock.getOrDefault(b, 0);
        if (got != expected) {
          wrong.add("block " + b + ": " + got + " records, expected " + expected);
        }
      }
      assertThat(wrong).as("blocks not exactly once").isEmpty();
      assertThat(records).hasSize(expectedRecords);
      assertThat(h.cursorAt("pintxo-seaport", BLOCKS - 1).blockNumber()).isEqualTo(BLOCKS - 1);
      System.out.printf("substreams kill/restart: %,d blocks, SIGKILL with the cursor at block %,d (%,d committed records); after the"
          + " restart %,d records, every block exactly once, %,d blocks streamed by the emulator in all%n", BLOCKS, cursorAtKill,
          recordsAtKill, records.size(), h.emulator.blocksSent());
    }
  }

  private static Process child(Path config, Path log) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), SubstreamsChild.class.getName(), config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
