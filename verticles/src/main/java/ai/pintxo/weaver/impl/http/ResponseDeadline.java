package ai.pintxo.weaver.impl.http;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The time limit of one request, from sending it (name lookup and connect included) to the last byte
 * of its response: the poller's {@code requestTimeout}, the Hermes catalog's fetch. Vert.x's connect and
 * idle timeouts alone do not bound a server that answers 200 and then sends a byte a second: such a poll
 * would never end, and every later poll of the endpoint would be skipped as "still running".
 *
 * <p>When the limit passes, the stage reading the response is told first (so it drops what it holds),
 * the bounded exchange fails with a {@link TimeoutFailure} naming the request and the limit, and the
 * request is reset (closing the connection, so the server stops sending). One per request; used
 * from its client's context.
 */
public final class ResponseDeadline {

  private final Vertx vertx;
  private final Duration limit;
  private final RecordOrigin origin;
  private final String what;
  private final String limitName;
  private final long timer;
  private HttpClientRequest request;
  private Consumer<TimeoutFailure> reader = failure -> { };
  private Supplier<String> progress = () -> "";
  private Consumer<TimeoutFailure> outcome = failure -> { };
  private TimeoutFailure expired;
  private boolean done;

  /**
   * Starts the clock.
   *
   * @param what      the request, for the failure's message, e.g. the redacted URL
   * @param limitName where the limit comes from, for the failure's message, e.g. {@code requestTimeout}
   */
  public ResponseDeadline(Vertx vertx, Duration limit, String limitName, RecordOrigin origin, String what) {
    this.vertx = vertx;
    this.limit = limit;
    this.origin = origin;
    this.what = what;
    this.limitName = limitName;
    this.timer = vertx.setTimer(Math.max(1, limit.toMillis()), id -> expire());
  }

  /**
   * @param exchange the request and the reading of its response
   * @return the exchange's outcome, or a {@link TimeoutFailure} if the limit passes first
   */
  public <T> Future<T> bound(Future<T> exchange) {
    Promise<T> bounded = Promise.promise();
    outcome = bounded::tryFail;
    if (expired != null) {
      bounded.tryFail(expired);
    }
    exchange.onComplete(ar -> {
      finish();
      if (ar.succeeded()) {
        bounded.tryComplete(ar.result());
      } else {
        bounded.tryFail(ar.cause());
      }
    });
    return bounded.future();
  }

  /** @param request the request, reset when the limit passes (at once if it already has) */
  public void attach(HttpClientRequest request) {
    this.request = request;
    if (expired != null) {
      request.reset();
    }
  }

  /**
   * @param reader   stops the stage reading the body with the failure (drops its records, stops reading)
   * @param progress how far the response got, appended to the failure's message, e.g. " after 12 bytes"
   */
  public void whileReading(Consumer<TimeoutFailure> reader, Supplier<String> progress) {
    this.reader = reader;
    this.progress = progress;
  }

  /** The last byte arrived: what follows (parsing, Kafka's acknowledgements) is not the request's. */
  public void finish() {
    if (!done) {
      done = true;
      vertx.cancelTimer(timer);
    }
  }

  private void expire() {
    if (done) {
      return;
    }
    done = true;
    expired = new TimeoutFailure(origin, limit, what + " did not complete its response within " + limit.toMillis()
        + " ms (" + limitName + ")" + progress.get(), null);
    reader.accept(expired);
    outcome.accept(expired); // before the reset, which fails the exchange with a mere "stream reset"
    if (request != null) {
      request.reset();
    }
  }
}
