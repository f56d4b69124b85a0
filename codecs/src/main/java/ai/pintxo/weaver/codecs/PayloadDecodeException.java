package ai.pintxo.weaver.codecs;

import ai.pintxo.weaver.codecs.failure.UndecodableFailure;
import java.util.Optional;

/**
 * A payload that does not fit its type. The message names the origin (topic, partition, offset)
 * and the offending field, so one log line is enough to find the record.
 */
public final class PayloadDecodeException extends UndecodableFailure {

  private final String field;
  private final String reason;

  public PayloadDecodeException(RecordOrigin origin, String field, String reason, Throwable cause) {
    super(origin, format(origin, field, reason), cause);
    this.field = field;
    this.reason = reason;
  }

  private static String format(RecordOrigin origin, String field, String reason) {
    return "cannot decode payload from " + origin
        + (field == null || field.isEmpty() ? "" : " at field '" + field + "'")
        + ": " + reason;
  }

  /** @return the JSON path of the offending field, when the error is about one field */
  public Optional<String> field() {
    return Optional.ofNullable(field).filter(f -> !f.isEmpty());
  }

  /** @return the reason without origin and field */
  public String reason() {
    return reason;
  }

  /** @return the same error attributed to another origin (a serde does not know where its bytes came from) */
  public PayloadDecodeException at(RecordOrigin other) {
    return new PayloadDecodeException(other, field, reason, getCause());
  }
}
