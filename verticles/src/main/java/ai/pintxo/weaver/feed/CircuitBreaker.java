package ai.pintxo.weaver.feed;

import java.util.function.LongSupplier;

/**
 * Opens when Vespa has failed (5xx, transport errors, timeouts) and nothing succeeded for a grace
 * period; while open the feeder sends only a probe now and then, and the first success closes it.
 * It never gives up: no operation is dropped and, since nothing is acknowledged, no offset moves.
 * After vespa-feed-client's {@code GracePeriodCircuitBreaker}, without the "doom" state.
 *
 * <p>Not thread-safe: confined to the feeder's context.
 */
final class CircuitBreaker {

  /** Breaker states. */
  public enum State { CLOSED, OPEN }

  private final long graceNanos;
  private final long probeIntervalNanos;
  private final LongSupplier clock;
  private long lastSuccessNanos;
  private long failingSinceNanos = -1;
  private long lastProbeNanos;
  private State state = State.CLOSED;

  /**
   * @param graceNanos         failing this long without a success opens the breaker
   * @param probeIntervalNanos while open, one request may go out this often
   * @param clock              nanosecond clock, injected for tests
   */
  public CircuitBreaker(long graceNanos, long probeIntervalNanos, LongSupplier clock) {
    this.graceNanos = graceNanos;
    this.probeIntervalNanos = probeIntervalNanos;
    this.clock = clock;
    this.lastSuccessNanos = clock.getAsLong();
  }

  /** Vespa answered (any status but 5xx). */
  public void success() {
    lastSuccessNanos = clock.getAsLong();
    failingSinceNanos = -1;
    state = State.CLOSED;
  }

  /** Vespa failed: a 5xx, a transport error or a timeout. */
  public void failure() {
    long now = clock.getAsLong();
    if (failingSinceNanos < 0) {
      failingSinceNanos = now;
    }
    if (now - lastSuccessNanos >= graceNanos && now - failingSinceNanos >= 0) {
      state = State.OPEN;
    }
  }

  /** @return the state now */
  public State state() {
    if (state == State.CLOSED && failingSinceNanos >= 0 && clock.getAsLong() - lastSuccessNanos >= graceNanos) {
      state = State.OPEN;
    }
    return state;
  }

  /**
   * @return whether a request may be sent now: always when closed, one per probe interval when open
   */
  public boolean permits() {
    if (state() == State.CLOSED) {
      return true;
    }
    long now = clock.getAsLong();
    if (now - lastProbeNanos >= probeIntervalNanos) {
      lastProbeNanos = now;
      return true;
    }
    return false;
  }

  /** @return nanoseconds until the next probe may go, 0 when closed */
  public long nanosUntilProbe() {
    if (state() == State.CLOSED) {
      return 0;
    }
    return Math.max(0, probeIntervalNanos - (clock.getAsLong() - lastProbeNanos));
  }
}
