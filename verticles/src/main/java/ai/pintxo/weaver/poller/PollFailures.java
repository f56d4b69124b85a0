package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import ai.pintxo.weaver.codecs.failure.UndecodableFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.time.Duration;

/**
 * What a failed poll is, for its log line, metric and dead letter: the poller's own failure types
 * and the helpers that classify and describe failures. Kept apart from {@link EndpointPoller}, which
 * only schedules, requests and retries.
 */
final class PollFailures {

  /** Dead letters carry at most this much of a failed response: Kafka's default message limit is 1 MB. */
  static final int MAX_DEAD_LETTER_BODY = 512 * 1024;
  /** The start of an error response's body quoted in the failure's message: enough for a JSON error. */
  private static final int ERROR_EXCERPT = 200;

  private PollFailures() {
  }

  static UndecodableFailure unreadable(UndecodableFailure e, RecordEmitter<?> emitter) {
    return emitter.streamed() ? new UndecodableFailure(e.origin(), e.getMessage() + producedNote(emitter), e) : e;
  }

  /** @return the {@code reason} tag of {@code weaver.poll.failures}, by the failure's type */
  static String reason(WeaverFailure failure) {
    if (failure instanceof ProduceFailure) {
      return "produce";
    }
    if (failure instanceof TooLargeFailure) {
      return "too_large";
    }
    if (failure instanceof UndecodableFailure) {
      return "unreadable";
    }
    if (failure instanceof TimeoutFailure) {
      return "timeout";
    }
    int status = status(failure);
    if (status > 0) {
      return "http_" + status;
    }
    // Offline shows as these two: told apart, so a dashboard can say "no network" rather than "the API broke".
    for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.UnknownHostException) {
        return "unresolved";
      }
      if (t instanceof java.net.ConnectException) {
        return "refused";
      }
    }
    return "transport";
  }

  /** @return the HTTP status of a failed poll, for its dead letter: 200 when the response came but could not be read */
  static int status(WeaverFailure failure) {
    if (failure instanceof RetriableFailure retriable) {
      return retriable.status();
    }
    if (failure instanceof PermanentFailure permanent) {
      return permanent.status();
    }
    return 200;
  }

  /** Says how many records of a response that broke off went to Kafka: they stay produced. */
  static String producedNote(RecordEmitter<?> emitter) {
    return emitter.streamed() ? " (" + emitter.sent() + " records of it were already sent to Kafka)" : "";
  }

  /** @return the start of an error response's body, on one line, for the failure's message */
  static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, ERROR_EXCERPT), java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").strip();
    return text.isEmpty() ? "" : ": " + text;
  }

  /** Reads an error response to its end (freeing the connection), keeping at most its first {@value #MAX_DEAD_LETTER_BODY} bytes. */
  static Future<byte[]> head(HttpClientResponse response) {
    Promise<byte[]> promise = Promise.promise();
    Buffer head = Buffer.buffer();
    response.handler(chunk -> {
      if (head.length() < MAX_DEAD_LETTER_BODY) {
        head.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_DEAD_LETTER_BODY - head.length()));
      }
    });
    response.exceptionHandler(err -> promise.tryComplete(head.getBytes()));
    response.endHandler(v -> promise.tryComplete(head.getBytes()));
    return promise.future();
  }

  /** Kafka failed to take the records: retried, but not dead-lettered (the dead letter would fail as well). */
  static final class ProduceFailure extends RetriableFailure {
    ProduceFailure(RecordOrigin origin, String message, Throwable cause) {
      super(origin, message, cause);
    }
  }

  /** A 429: the host is locked out for {@code Retry-After}; asked again within the poll's retries. */
  static final class RateLimitedFailure extends RetriableFailure {
    RateLimitedFailure(RecordOrigin origin, Duration lockout, String message) {
      super(origin, 429, lockout, message, null);
    }
  }

  /** A response beyond {@code maxResponseBytes}: asking again would bring the same bytes. */
  static final class TooLargeFailure extends PermanentFailure {
    TooLargeFailure(RecordOrigin origin, String message) {
      super(origin, "poll", 200, message, null);
    }
  }
}
