package ai.pintxo.weaver.feed;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between attempts: the n-th retry waits a random time between half
 * and all of {@code min × 2^(n-1)}, capped at {@code max}, so retries of many documents spread out.
 */
public final class RetryBackoff {

  private final long minMillis;
  private final long maxMillis;

  public RetryBackoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
  }

  /**
   * @param attempt the attempt that just failed, from 1
   * @return milliseconds to wait before the next attempt
   */
  public long delayMillis(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = Math.min(maxMillis, minMillis << shift);
    long floor = Math.max(1, ceiling / 2);
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }
}
