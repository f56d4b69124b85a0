package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks/s and records/s from the emulator through decode, strategy and the transactional produce,
 * about 50 metrics per block. Run on demand:
 * {@code mvn -pl verticles -am test -Dtest=SubstreamsThroughputBench -Dweaver.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "weaver.bench", matches = "true")
class SubstreamsThroughputBench {

  static final int BLOCKS = Integer.getInteger("weaver.bench.blocks", 20_000);
  static final int PER_BLOCK = Integer.getInteger("weaver.bench.perBlock", 50);

  @TempDir
  Path dir;

  @Test
  void throughput() {
    try (Harness h = new Harness(dir)) {
      h.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(PER_BLOCK, 0)).setProgressIntervalMillis(1000));
      // warm-up run on its own substream
      Await.result(h.deploy(h.options("warmup", TestPackages.seaport(), "SeaportStrategy", "metrics_out", 2_000)).completion());
      System.gc();
      long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long start = System.nanoTime();
      SubstreamsOptions options = h.options("pintxo-seaport", TestPackages.seaport(), "SeaportStrategy", "metrics_out", BLOCKS);
      // -Dweaver.bench.producer=compression.type=none,linger.ms=10 tries other producer settings
      java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
      for (String kv : System.getProperty("weaver.bench.producer", "").split(",")) {
        if (kv.contains("=")) {
          props.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      options.setKafka(h.kafkaOptions().setProperties(props));
      SubstreamsVerticle v = h.deploy(options);
      long peak = 0;
      while (!v.completion().isComplete()) {
        peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        SubstreamsStreamTest.sleep(100);
      }
      Await.result(v.completion());
      double seconds = (System.nanoTime() - start) / 1e9;
      long records = (long) BLOCKS * PER_BLOCK;
      System.out.printf("producer " + props + ": substreams throughput: %,d blocks, %,d records in %.2f s: %,.0f blocks/s, %,.0f records/s; heap before %,d MB,"
          + " peak %,d MB (JVM heap incl. the embedded broker and emulator)%n", BLOCKS, records, seconds, BLOCKS / seconds,
          records / seconds, heapBefore >> 20, peak >> 20);
      assertThat(h.probe.count(PintxoMetric.TOPIC.name())).isGreaterThanOrEqualTo(records);
    }
  }
}
