package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks/s and records/s of a substream (emulator → gRPC → decode → strategy → transactional
 * produce) and, in the same JVM on the same broker, the raw rate of producing the same records
 * with the same producer (see {@link SubstreamsThroughput}): the pipeline's figure is reported as
 * a fraction of that limit. Rounds alternate raw and pipeline, after a warm-up of each. Run on demand:
 * <pre>
 * mvn -pl verticles -am test -Dtest=SubstreamsThroughputBench -Dweaver.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 *   [-Dweaver.bench.perBlock=50,1] [-Dweaver.bench.rounds=3] [-Dweaver.bench.blocks=N]
 *   [-Dweaver.bench.jfr=/tmp/ss.jfr]   (a Flight Recording of each pipeline run, not of the raw runs)
 * </pre>
 * Default blocks: 2,000,000 records' worth, at most 300,000 blocks (40,000 at 50 per block).
 */
@EnabledIfSystemProperty(named = "weaver.bench", matches = "true")
class SubstreamsThroughputBench {

  static final String PER_BLOCK = System.getProperty("weaver.bench.perBlock", "50,1");
  static final int ROUNDS = Integer.getInteger("weaver.bench.rounds", 3);
  static final Integer BLOCKS = Integer.getInteger("weaver.bench.blocks");
  static final String JFR = System.getProperty("weaver.bench.jfr");

  @TempDir
  Path dir;

  @Test
  void throughput() throws Exception {
    List<String> summary = new ArrayList<>();
    try (Harness h = new Harness(dir)) {
      for (int perBlock : Arrays.stream(PER_BLOCK.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray()) {
        long blocks = BLOCKS != null ? BLOCKS : Math.min(300_000, 2_000_000 / perBlock);
        SubstreamsThroughput bench = new SubstreamsThroughput(h, perBlock);
        bench.pipeline("warmup-p" + perBlock, 2_000);
        bench.raw("warmup-raw-p" + perBlock, 2_000);
        List<SubstreamsThroughput.Run> raw = new ArrayList<>();
        List<SubstreamsThroughput.Run> pipeline = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          String name = "seaport-p" + perBlock + "-r" + round;
          // alternate the order, so that neither always runs on a broker busy with the other's log
          if (round % 2 == 1) {
            raw.add(report(perBlock, round, bench.raw("raw-p" + perBlock + "-r" + round, blocks)));
            pipeline.add(report(perBlock, round, profiled(perBlock, round, () -> bench.pipeline(name, blocks))));
          } else {
            pipeline.add(report(perBlock, round, profiled(perBlock, round, () -> bench.pipeline(name, blocks))));
            raw.add(report(perBlock, round, bench.raw("raw-p" + perBlock + "-r" + round, blocks)));
          }
        }
        for (SubstreamsThroughput.Run r : pipeline) {
          assertThat(h.probe.count(r.topic())).as(r.topic()).isGreaterThanOrEqualTo(r.records());
        }
        double[] ratios = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          ratios[i] = pipeline.get(i).blocksPerSecond() / raw.get(i).blocksPerSecond();
        }
        double[] steadyRatios = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          steadyRatios[i] = pipeline.get(i).steadyBlocksPerSecond() / raw.get(i).steadyBlocksPerSecond();
        }
        summary.add(String.format("perBlock %d, %,d blocks, %d rounds, median (min–max): with start-up: raw %s blocks/s (%s records/s),"
                + " pipeline %s blocks/s (%s records/s), pipeline/raw %.2f (%.2f–%.2f); steady (after the first commit): raw %s blocks/s"
                + " (%s records/s), pipeline %s blocks/s (%s records/s), pipeline/raw %.2f (%.2f–%.2f)", perBlock, blocks, ROUNDS,
            stats(raw, SubstreamsThroughput.Run::blocksPerSecond), stats(raw, SubstreamsThroughput.Run::recordsPerSecond),
            stats(pipeline, SubstreamsThroughput.Run::blocksPerSecond), stats(pipeline, SubstreamsThroughput.Run::recordsPerSecond),
            median(ratios), min(ratios), max(ratios),
            stats(raw, SubstreamsThroughput.Run::steadyBlocksPerSecond), stats(raw, SubstreamsThroughput.Run::steadyRecordsPerSecond),
            stats(pipeline, SubstreamsThroughput.Run::steadyBlocksPerSecond), stats(pipeline, SubstreamsThroughput.Run::steadyRecordsPerSecond),
            median(steadyRatios), min(steadyRatios), max(steadyRatios)));
      }
    }
    summary.forEach(line -> System.out.println("substreams throughput: " + line));
  }

  private static SubstreamsThroughput.Run report(int perBlock, int round, SubstreamsThroughput.Run r) {
    System.out.printf("substreams throughput round %d, perBlock %d, %-8s: %,d blocks, %,d records in %.2f s: %,.0f blocks/s, %,.0f records/s;"
            + " steady: %,d blocks in %.2f s: %,.0f blocks/s, %,.0f records/s%n", round, perBlock, r.kind(), r.blocks(), r.records(), r.seconds(),
        r.blocksPerSecond(), r.recordsPerSecond(), r.steadyBlocks(), r.steadySeconds(), r.steadyBlocksPerSecond(), r.steadyRecordsPerSecond());
    return r;
  }

  private static SubstreamsThroughput.Run profiled(int perBlock, int round, java.util.function.Supplier<SubstreamsThroughput.Run> run)
      throws Exception {
    if (JFR == null) {
      return run.get();
    }
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.start();
      SubstreamsThroughput.Run r = run.get();
      recording.stop();
      recording.dump(Path.of(JFR.replace(".jfr", "") + "-p" + perBlock + "-r" + round + ".jfr"));
      return r;
    }
  }

  /** @return "median (min–max)" of a figure over the runs */
  private static String stats(List<SubstreamsThroughput.Run> runs, ToDoubleFunction<SubstreamsThroughput.Run> figure) {
    double[] v = runs.stream().mapToDouble(figure).toArray();
    return String.format("%,.0f (%,.0f–%,.0f)", median(v), min(v), max(v));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
