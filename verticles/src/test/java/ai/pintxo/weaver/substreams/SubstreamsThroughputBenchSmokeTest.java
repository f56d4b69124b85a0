package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throughput bench's two runs, small, so CI proves the bench still works end to end: both put
 * every record of every block in Kafka, the raw run the same records the pipeline makes. No timing
 * is asserted; the figures are recorded in BENCHMARKS.md from full runs.
 */
class SubstreamsThroughputBenchSmokeTest {

  static final int BLOCKS = 300;
  static final int PER_BLOCK = 4;

  @TempDir
  Path dir;

  @Test
  void pipelineAndRawRunsCommitEveryRecord() {
    try (Harness h = new Harness(dir)) {
      SubstreamsThroughput bench = new SubstreamsThroughput(h, PER_BLOCK);
      SubstreamsThroughput.Run pipeline = bench.pipeline("smoke", BLOCKS);
      SubstreamsThroughput.Run raw = bench.raw("smoke-raw", BLOCKS);
      assertThat(pipeline.records()).isEqualTo(raw.records()).isEqualTo((long) BLOCKS * PER_BLOCK);
      assertThat(pipeline.seconds()).isPositive();
      assertThat(raw.seconds()).isPositive();

      List<ConsumerRecord<byte[], byte[]>> streamed = h.records(pipeline.topic(), BLOCKS * PER_BLOCK);
      List<ConsumerRecord<byte[], byte[]>> produced = h.records(raw.topic(), BLOCKS * PER_BLOCK);
      assertThat(streamed).hasSize(BLOCKS * PER_BLOCK);
      assertThat(produced).hasSize(BLOCKS * PER_BLOCK);
      assertThat(keys(streamed)).isEqualTo(keys(produced)).contains(SubstreamsThroughput.key(BLOCKS - 1, PER_BLOCK - 1));
      PintxoMetric first = PintxoMetric.TOPIC.decode(streamed.stream()
          .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(SubstreamsThroughput.key(7, 1))).findFirst().orElseThrow().value(), 0, 0);
      assertThat(first.value()).isEqualTo(Payloads.seaportValue(7, 1, 0));
      assertThat(first.token()).isEqualTo(Payloads.TOKENS.get(8 % Payloads.TOKENS.size()));
      assertThat(first.interval()).isEqualTo("minute");
    }
  }

  private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> out = new HashSet<>();
    records.forEach(r -> out.add(new String(r.key(), StandardCharsets.UTF_8)));
    return out;
  }
}
