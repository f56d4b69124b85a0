package ai.pintxo.weaver.codecs.failure;

import ai.pintxo.weaver.codecs.RecordOrigin;
import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass if the same thing is tried again: a timeout, a refused or reset
 * connection, an HTTP 429 or 5xx. The caller retries with backoff and never dead-letters it
 * while retries remain.
 */
public class RetriableFailure extends WeaverFailure {

  private final int status;
  private final transient Duration retryAfter;

  /**
   * @param origin     the source or record
   * @param status     the HTTP status involved, or 0 for a transport failure
   * @param retryAfter how long the peer asked us to wait, or null
   * @param message    one line: what failed and why
   * @param cause      the underlying exception, or null
   */
  public RetriableFailure(RecordOrigin origin, int status, Duration retryAfter, String message, Throwable cause) {
    super(origin, message, cause);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public RetriableFailure(RecordOrigin origin, String message, Throwable cause) {
    this(origin, 0, null, message, cause);
  }

  /** @return the HTTP status, or 0 for a transport failure */
  public int status() {
    return status;
  }

  /** @return the wait the peer asked for (Retry-After), when it asked */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String stage() {
    return "poll";
  }
}
