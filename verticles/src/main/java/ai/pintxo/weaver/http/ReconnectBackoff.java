package ai.pintxo.weaver.http;

import java.time.Duration;

/**
 * The reconnect backoff's former name, kept only until {@code SubstreamsVerticle} (being split
 * concurrently) switches to {@link Backoff}; it delegates there, so all reconnects already share one
 * implementation.
 *
 * @deprecated use {@link Backoff}
 */
@Deprecated(forRemoval = true)
public final class ReconnectBackoff {

  private final Backoff backoff;

  public ReconnectBackoff(Duration min, Duration max) {
    this.backoff = new Backoff(min, max);
  }

  /** @return see {@link Backoff#nextDelayMillis()} */
  public long nextDelayMillis() {
    return backoff.nextDelayMillis();
  }

  /** See {@link Backoff#reset()}. */
  public void reset() {
    backoff.reset();
  }

  /** @return see {@link Backoff#failures()} */
  public int failures() {
    return backoff.failures();
  }
}
