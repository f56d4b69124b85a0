package ai.pintxo.weaver.impl.http;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Turns what an HTTP source sees (an exception instead of a response, or a status other than the
 * one it wanted) into a typed {@link WeaverFailure}, so the poller, the streams and the catalog
 * decide about retries by type, the same way everywhere, and never by reading a message.
 */
public final class HttpFailures {

  private HttpFailures() {
  }

  /**
   * @param origin  the source
   * @param error   why no response arrived (or the body broke off)
   * @param limit   the request's time limit, reported when it was exceeded
   * @param message what was attempted, e.g. {@code request to https://… failed}
   * @return a {@link TimeoutFailure} when a time limit was hit, a typed failure unchanged, else a
   *     {@link RetriableFailure}: a refused, reset or dropped connection may work next time
   */
  public static WeaverFailure transport(RecordOrigin origin, Throwable error, Duration limit, String message) {
    if (error instanceof WeaverFailure typed) {
      return typed;
    }
    if (isTimeout(error)) {
      return new TimeoutFailure(origin, limit, message + ": no answer within " + limit.toMillis() + " ms", error);
    }
    return new RetriableFailure(origin, message + ": " + error, error);
  }

  /**
   * @param origin     the source
   * @param status     the status that was not the one wanted
   * @param retryAfter the {@code Retry-After} header, or null
   * @param message    one line naming the request and the status
   * @return a {@link RetriableFailure} for 408, 429 and 5xx (with the wait the server asked for), else a
   *     {@link PermanentFailure} at the {@code poll} stage: the same request would be refused again
   */
  public static WeaverFailure status(RecordOrigin origin, int status, String retryAfter, String message) {
    if (status == 408 || status == 429 || status >= 500) {
      return new RetriableFailure(origin, status, RequestBudget.retryAfter(retryAfter, null), message, null);
    }
    return new PermanentFailure(origin, "poll", status, message, null);
  }

  /**
   * @return whether the failure is a time limit: Vert.x's idle and connect timeouts, the JDK client's,
   *     a socket timeout, anywhere in the cause chain (checked by type)
   */
  public static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutFailure || t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.http.HttpTimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
