package ai.pintxo.weaver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The Pyth latency benchmark, small, so CI proves its layout still runs end to end: the broker, the
 * emulators and the weaver each in their own JVM, prices measured from the Hermes emulator to the
 * Vespa emulator and to Kafka. The figures are recorded in BENCHMARKS.md from the full run, never
 * asserted here.
 */
class PythBenchSmokeTest {

  @Test
  void pricesAreMeasuredFromHermesToVespaAcrossThreeJvms() throws Exception {
    JsonObject report = new PythBench().run(PythBench.Args.parse(new String[] {"--feeds", "20", "--warmup", "3", "--seconds", "3",
        "--rounds", "1"}));
    assertThat(report.getLong("updatesMeasured")).as(report.encode()).isPositive();
    JsonObject round = report.getJsonArray("rounds").getJsonObject(0);
    assertThat(round.getLong("toKafkaUpdates")).as(report.encode()).isPositive();
    assertThat(round.getDouble("p50Ms")).as(report.encode()).isPositive();
    assertThat(round.getJsonObject("cpuCores").getDouble("weaver")).as(report.encode()).isPositive();
  }
}
