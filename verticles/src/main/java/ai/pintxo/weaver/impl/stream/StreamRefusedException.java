package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.impl.http.HttpFailures;

/**
 * The server refused a stream request for good (a 4xx other than 408 and 429): reconnecting would be
 * refused again. Carries the body, because Hermes names the feed ids it rejects there.
 */
public final class StreamRefusedException extends PermanentFailure {

  private final String body;

  public StreamRefusedException(RecordOrigin origin, int status, String body) {
    super(origin, "poll", status, "HTTP " + status + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)),
        null);
    this.body = body;
  }

  /**
   * @param origin     the stream
   * @param status     the status the server answered instead of the stream
   * @param retryAfter its {@code Retry-After} header, or null
   * @param body       its body
   * @return a {@link RetriableFailure} (with the wait asked for) for 408, 429 and 5xx, else a refusal
   */
  public static WeaverFailure of(RecordOrigin origin, int status, String retryAfter, String body) {
    WeaverFailure failure = HttpFailures.status(origin, status, retryAfter, "HTTP " + status);
    return failure instanceof RetriableFailure ? failure : new StreamRefusedException(origin, status, body);
  }

  public String body() {
    return body;
  }
}
