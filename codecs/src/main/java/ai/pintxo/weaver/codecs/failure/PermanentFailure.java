package ai.pintxo.weaver.codecs.failure;

import ai.pintxo.weaver.codecs.RecordOrigin;

/**
 * A failure that trying again will not fix: Vespa refusing a document (4xx other than 429), a
 * record a processor cannot turn into a document, an endpoint answering 404. The record goes to
 * the dead-letter topic and the partition or source flows on.
 */
public class PermanentFailure extends WeaverFailure {

  private final String stage;
  private final int status;

  /**
   * @param origin  the source or record
   * @param stage   the dead-letter stage: {@code poll}, {@code process} or {@code feed}
   * @param status  the HTTP status involved, or 0
   * @param message one line: what was refused and why
   * @param cause   the underlying exception, or null
   */
  public PermanentFailure(RecordOrigin origin, String stage, int status, String message, Throwable cause) {
    super(origin, message, cause);
    this.stage = stage;
    this.status = status;
  }

  /** @return the HTTP status, or 0 */
  public int status() {
    return status;
  }

  @Override
  public String stage() {
    return stage;
  }
}
