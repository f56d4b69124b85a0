package ai.pintxo.weaver.codecs.failure;

import ai.pintxo.weaver.codecs.RecordOrigin;

/**
 * Bytes that do not fit their type: malformed JSON, a wrong field type, a missing required
 * field. Never retried (the same bytes fail the same way); dead-lettered at the {@code decode}
 * stage with the offending field named.
 */
public class UndecodableFailure extends WeaverFailure {

  public UndecodableFailure(RecordOrigin origin, String message, Throwable cause) {
    super(origin, message, cause);
  }

  @Override
  public String stage() {
    return "decode";
  }
}
