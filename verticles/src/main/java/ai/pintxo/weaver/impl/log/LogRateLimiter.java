package ai.pintxo.weaver.impl.log;

import java.util.function.LongSupplier;

/**
 * Lets a log line through at most once per interval, so a failure repeated thousands of times a
 * second (every request to a dead endpoint) writes a line now and then, not one per request.
 *
 * <p>Not thread-safe: confined to one context.
 */
public final class LogRateLimiter {

  private final long intervalNanos;
  private final LongSupplier clock;
  private long lastNanos;
  private boolean logged;

  /**
   * @param intervalNanos at most one line per this
   * @param clock         nanosecond clock, injected for tests
   */
  public LogRateLimiter(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /** @return whether a line may be written now (the first always may); if so, the interval starts again */
  public boolean permit() {
    long now = clock.getAsLong();
    if (!logged || now - lastNanos >= intervalNanos) {
      logged = true;
      lastNanos = now;
      return true;
    }
    return false;
  }

  /** Lets the next line through at once (a new episode, e.g. the circuit opened again). */
  public void reset() {
    logged = false;
  }
}
