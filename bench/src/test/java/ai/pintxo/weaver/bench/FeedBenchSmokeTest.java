package ai.pintxo.weaver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The benchmark, small, so CI proves it still runs end to end: every client in its own JVM feeds
 * every operation without an error and reports figures; the connector feeds every record.
 * The figures themselves are recorded in BENCHMARKS.md from the full run, never asserted here.
 */
class FeedBenchSmokeTest {

  @Test
  void everyClientFeedsEveryOperationAndReports() throws Exception {
    FeedBench.Args args = FeedBench.Args.parse(new String[] {"--operations", "3000", "--rounds", "1", "--warmup", "500",
        "--no-h2load", "--connector", "--connector-records", "4000"});
    JsonObject report = new FeedBench().run(args);
    assertThat(report.getBoolean("ok")).as("no errors, connector complete: " + report.encode()).isTrue();
    JsonArray clients = report.getJsonArray("clients");
    assertThat(clients).hasSize(3);
    for (int i = 0; i < clients.size(); i++) {
      JsonObject client = clients.getJsonObject(i);
      assertThat(client.getLong("operations")).as(client.getString("client")).isEqualTo(3000);
      assertThat(client.getLong("errors")).as(client.getString("client")).isZero();
      assertThat(client.getDouble("docsPerSecond")).as(client.getString("client")).isPositive();
      assertThat(client.getDouble("cpuSeconds")).as(client.getString("client")).isPositive();
    }
    assertThat(report.getJsonObject("ratios").fieldNames()).contains("throughputVsVespaFeedClient", "cpuPerDocVsBareVertx");
    JsonArray connector = report.getJsonObject("connector").getJsonArray("runs");
    assertThat(connector).hasSize(2);
    assertThat(connector.getJsonObject(0).getLong("applied")).isGreaterThanOrEqualTo(4000);
  }
}
