package ai.pintxo.weaver.loadtest;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in whole milliseconds up to 60 s (longer ones count as 60 s), lock-free: a soak records millions
 * of values per window, which a list would hold on the load generator's heap. Percentiles exact to 1 ms.
 */
final class LatencyHistogram {

  private static final int MAX_MILLIS = 60_000;
  private final AtomicLongArray counts = new AtomicLongArray(MAX_MILLIS + 1);

  void record(long millis) {
    counts.incrementAndGet((int) Math.max(0, Math.min(MAX_MILLIS, millis)));
  }

  long count() {
    long n = 0;
    for (int i = 0; i <= MAX_MILLIS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** @return the smallest latency at or above which lie {@code 100 - p} percent of the values, or -1 when none */
  long percentile(double p) {
    long n = count();
    if (n == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(p / 100 * n);
    long seen = 0;
    for (int i = 0; i <= MAX_MILLIS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i;
      }
    }
    return MAX_MILLIS;
  }
}
