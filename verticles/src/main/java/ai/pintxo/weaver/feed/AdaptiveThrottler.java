package ai.pintxo.weaver.feed;

import java.util.function.LongSupplier;

/**
 * An in-flight limit that follows Vespa's capacity, after the gradient limiters (Netflix
 * concurrency-limits) and Vector's adaptive request concurrency: per window of answers it compares
 * the window's mean latency with a long-run mean. While latency holds, the limit grows by about the
 * square root of itself per window; when latency climbs above {@code tolerance} times the long-run
 * mean, it shrinks in proportion; back-pressure (429/503/504, timeouts) cuts it by a quarter, at
 * most once per long-run latency so one burst of refusals does not collapse it. Stays within
 * [min, max].
 *
 * <p>Not thread-safe: confined to the feeder's context.
 */
final class AdaptiveThrottler implements Throttler {

  private static final double TOLERANCE = 2.0;
  private static final double SMOOTHING = 0.25;
  private static final double BACKOFF = 0.75;
  /** Long-run latency averages over about this many windows. */
  private static final double LONG_WINDOWS = 50;

  private final int min;
  private final int max;
  private final LongSupplier clock;
  private double limit;
  private double longLatency;
  private long windowSum;
  private int windowCount;
  private long lastBackoffNanos;

  /**
   * @param min     lowest limit
   * @param max     highest limit
   * @param initial starting limit
   * @param clock   nanosecond clock, injected for tests
   */
  public AdaptiveThrottler(int min, int max, int initial, LongSupplier clock) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max, was min=" + min + ", max=" + max);
    }
    this.min = min;
    this.max = max;
    this.limit = Math.max(min, Math.min(max, initial));
    this.clock = clock;
    this.lastBackoffNanos = clock.getAsLong() - 1_000_000_000L;
  }

  @Override
  public int limit() {
    return (int) limit;
  }

  @Override
  public void success(long latencyNanos, int inflight) {
    windowSum += latencyNanos;
    windowCount++;
    // A window is about one limit's worth of answers (at least 16): roughly one round trip.
    if (windowCount < Math.max(16, (int) limit)) {
      return;
    }
    double shortLatency = (double) windowSum / windowCount;
    windowSum = 0;
    windowCount = 0;
    if (longLatency == 0) {
      longLatency = shortLatency;
    } else {
      longLatency += (shortLatency - longLatency) / LONG_WINDOWS;
      if (longLatency > 2 * shortLatency) {
        longLatency = 2 * shortLatency; // latency recovered: forget the slow past faster
      }
    }
    if (inflight < limit / 2) {
      return; // not using the limit: no evidence either way
    }
    double gradient = Math.max(0.5, Math.min(1.0, TOLERANCE * longLatency / shortLatency));
    double target = limit * gradient + Math.sqrt(limit);
    limit = clamp(limit * (1 - SMOOTHING) + target * SMOOTHING);
  }

  @Override
  public void throttled() {
    long now = clock.getAsLong();
    long spacing = Math.max(10_000_000L, (long) longLatency);
    if (now - lastBackoffNanos >= spacing) {
      limit = clamp(limit * BACKOFF);
      lastBackoffNanos = now;
    }
  }

  private double clamp(double value) {
    return Math.max(min, Math.min(max, value));
  }

  @Override
  public String toString() {
    return "AdaptiveThrottler[limit=" + limit() + ", longLatencyMs=" + longLatency / 1e6 + "]";
  }
}
