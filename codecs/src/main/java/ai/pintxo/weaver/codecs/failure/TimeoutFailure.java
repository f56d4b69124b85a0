package ai.pintxo.weaver.codecs.failure;

import ai.pintxo.weaver.codecs.RecordOrigin;
import java.time.Duration;

/** A request that did not complete within its time limit: retriable, and told apart by its type, not its message. */
public final class TimeoutFailure extends RetriableFailure {

  private final transient Duration limit;

  public TimeoutFailure(RecordOrigin origin, Duration limit, String message, Throwable cause) {
    super(origin, 0, null, message, cause);
    this.limit = limit;
  }

  /** @return the limit that was exceeded */
  public Duration limit() {
    return limit;
  }
}
