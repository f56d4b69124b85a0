package ai.pintxo.weaver.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnections of a long-lived stream: exponential from {@code min} to {@code max},
 * with full jitter so many clients do not reconnect in step, and back to {@code min} once a
 * connection has stayed up for a while ({@link #reset()}). Forever: a stream is never given up.
 *
 * <p>Not thread-safe: one per stream, used from its context.
 */
public final class ReconnectBackoff {

  private final long minMillis;
  private final long maxMillis;
  private int failures;

  public ReconnectBackoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
  }

  /** @return the delay before the next attempt, which counts as one more failure */
  public long nextDelayMillis() {
    long ceiling = Math.min(maxMillis, minMillis << Math.min(failures, 30));
    failures++;
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** The connection has been stable: the next failure starts from the minimum again. */
  public void reset() {
    failures = 0;
  }

  /** @return consecutive failures since the last reset */
  public int failures() {
    return failures;
  }
}
