package ai.pintxo.weaver.impl.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one backoff of the weaver, for every retry (a poll, a Vespa operation) and every reconnect (a
 * real-time stream, Substreams): the n-th consecutive failure waits a random time between half and
 * all of {@code min × 2^(n-1)}, capped at {@code max}. The jitter spreads out the retries of many
 * clients that failed together; the doubling is saturating arithmetic, so any number of failures
 * (a {@code retries: 100} poller, a stream that stays down for days) gives a delay within
 * {@code [max(1, min/2), max]}: never negative, never zero (no busy loop), never a shift overflow.
 *
 * <p>Two ways to use it: {@link #delayMillis(int)} when the caller counts attempts itself (per
 * document), or {@link #nextDelayMillis()} and {@link #reset()} when the backoff counts consecutive
 * failures (per endpoint, per stream). Not thread-safe: one instance per endpoint or stream, used from
 * its context.
 */
public final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int failures;

  /**
   * @param min the ceiling of the first delay (at least 1 ms)
   * @param max the ceiling of every delay (at least {@code min})
   */
  public Backoff(Duration min, Duration max) {
    this(min, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform in {@code [0, 1)}: the jitter's source, injected so tests can pin it
   */
  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.random = random;
  }

  /**
   * @param attempt the attempt that just failed, from 1 (values below 1 count as 1)
   * @return the ceiling for that attempt: {@code min × 2^(attempt-1)}, saturating at {@code max}
   */
  public long ceilingMillis(int attempt) {
    int doublings = Math.max(0, attempt - 1);
    // min × 2^d ≤ max  ⇔  min ≤ max >> d; checked before shifting, so the shift itself cannot overflow.
    if (doublings >= Long.SIZE - 1 || minMillis > maxMillis >> doublings) {
      return maxMillis;
    }
    return minMillis << doublings;
  }

  /**
   * @param attempt the attempt that just failed, from 1
   * @return milliseconds to wait before the next attempt, in {@code [max(1, ceiling/2), ceiling]}
   */
  public long delayMillis(int attempt) {
    long ceiling = ceilingMillis(attempt);
    long floor = Math.max(1, ceiling / 2);
    long jitter = (long) (random.getAsDouble() * (ceiling - floor + 1));
    return Math.min(ceiling, floor + Math.max(0, jitter));
  }

  /** @return the delay before the next attempt, which counts as one more consecutive failure */
  public long nextDelayMillis() {
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    return delayMillis(failures);
  }

  /** It worked (or a connection has been stable): the next failure starts from {@code min} again. */
  public void reset() {
    failures = 0;
  }

  /** @return consecutive failures since the last {@link #reset()} */
  public int failures() {
    return failures;
  }

  /** @return the smallest ceiling, the first delay's */
  public Duration min() {
    return Duration.ofMillis(minMillis);
  }

  /** @return the largest delay */
  public Duration max() {
    return Duration.ofMillis(maxMillis);
  }
}
