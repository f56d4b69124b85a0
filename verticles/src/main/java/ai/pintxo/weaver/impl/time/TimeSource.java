package ai.pintxo.weaver.impl.time;

import java.time.Instant;

/**
 * Where control classes read time: a monotonic clock for durations (timeouts, rates, deadlines)
 * and a wall clock for timestamps written out (cursor times, dead-letter times). Injected so that
 * tests move time by hand instead of sleeping to prove that nothing happened.
 */
public interface TimeSource {

  /** @return a monotonic reading in nanoseconds, only meaningful as a difference to another reading */
  long nanoTime();

  /** @return the current wall-clock time */
  Instant now();

  /** @return milliseconds since the epoch, as {@link System#currentTimeMillis()} */
  default long currentTimeMillis() {
    return now().toEpochMilli();
  }

  /** @return the JVM's clocks */
  static TimeSource system() {
    return SystemTime.INSTANCE;
  }

  /** The JVM's clocks. */
  enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public long currentTimeMillis() {
      return System.currentTimeMillis();
    }
  }
}
