package ai.pintxo.weaver.codecs.failure;

import ai.pintxo.weaver.codecs.RecordOrigin;
import java.util.Objects;

/**
 * A failure the pipeline knows how to handle, typed by what to do about it rather than by its
 * message: {@link RetriableFailure} (try again later), {@link PermanentFailure} (the same input will
 * fail again: dead-letter it) and {@link UndecodableFailure} (the bytes do not fit their type). Each
 * carries where the record or payload came from, so one log line is enough to find it.
 */
public abstract class WeaverFailure extends RuntimeException {

  private final transient RecordOrigin origin;

  protected WeaverFailure(RecordOrigin origin, String message, Throwable cause) {
    super(message, cause);
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** @return the Kafka record or the source the failure is about */
  public RecordOrigin origin() {
    return origin;
  }

  /** @return the dead-letter stage this failure belongs to when it ends in a dead letter */
  public abstract String stage();
}
