package ai.pintxo.weaver.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * What one client reported for one timed run.
 *
 * @param client     which client
 * @param operations operations fed
 * @param errors     operations that did not succeed
 * @param seconds    wall time of the timed run
 * @param cpuSeconds the client JVM's CPU time during the timed run
 * @param p50Millis  median latency, submission to final answer
 * @param p99Millis  99th percentile latency
 */
public record RunResult(String client, long operations, long errors, double seconds, double cpuSeconds, double p50Millis, double p99Millis) {

  /** @return documents per second */
  public double docsPerSecond() {
    return operations / seconds;
  }

  /** @return CPU microseconds per document */
  public double cpuMicrosPerDoc() {
    return cpuSeconds * 1e6 / operations;
  }

  /** @return CPU seconds per 100,000 documents */
  public double cpuSecondsPer100k() {
    return cpuSeconds * 100_000 / operations;
  }

  JsonObject toJson() {
    return new JsonObject().put("client", client).put("operations", operations).put("errors", errors).put("seconds", seconds)
        .put("cpuSeconds", cpuSeconds).put("p50Millis", p50Millis).put("p99Millis", p99Millis);
  }

  static RunResult fromJson(JsonObject json) {
    return new RunResult(json.getString("client"), json.getLong("operations"), json.getLong("errors"), json.getDouble("seconds"),
        json.getDouble("cpuSeconds"), json.getDouble("p50Millis"), json.getDouble("p99Millis"));
  }

  /** Builds a result from per-operation latencies in nanoseconds. */
  static RunResult of(String client, long[] latencies, long errors, long wallNanos, long cpuNanos) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new RunResult(client, latencies.length, errors, wallNanos / 1e9, cpuNanos / 1e9,
        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
