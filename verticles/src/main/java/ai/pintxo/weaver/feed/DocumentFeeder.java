package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.http.HttpFailures;
import ai.pintxo.weaver.impl.log.LogRateLimiter;
import ai.pintxo.weaver.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds document operations to Vespa: the one class with feed control flow. The policies it
 * applies are each in their own class: {@link Throttler} (how many requests may be outstanding),
 * {@link CircuitBreaker} (stop and probe while Vespa keeps failing), {@link Backoff}.
 *
 * <ul>
 *   <li>Operations on one document are sent one after the other, in the order given, each after
 *       the previous one's final answer (retries included); different documents go in parallel.</li>
 *   <li>While a document's operations wait for their turn, field-assign updates that follow each
 *       other are merged into one request (later values win, as they would in Vespa), so a hot
 *       document that falls behind catches up in one write instead of replaying every step; each
 *       merged operation gets the merged request's outcome. {@code coalesceUpdates=false} turns it off.</li>
 *   <li>At most {@link Throttler#limit()} requests are outstanding; the rest wait in arrival order,
 *       urgent ones (a latency-profile topic's) before the others ({@link ReadyLanes}).</li>
 *   <li>429, 503 and 504 are back-pressure: retried, and the throttler lowers the limit. Other 5xx,
 *       timeouts and transport failures are retried and count towards the circuit breaker. 507
 *       (feed blocked: Vespa's disk or memory is full) pauses all feeding, then one probe at a time
 *       until Vespa accepts again. Nothing is dropped, however long it takes.</li>
 *   <li>Other answers are final: 200 succeeds; any other 4xx is a rejection the caller dead-letters.</li>
 * </ul>
 *
 * <p>Threading: confined to the Vert.x context that created it; call it only from there.
 */
public final class DocumentFeeder {

  private static final Logger LOG = LoggerFactory.getLogger(DocumentFeeder.class);
  private static final long FEED_BLOCKED_MIN_MILLIS = 1_000;
  private static final long FEED_BLOCKED_MAX_MILLIS = 30_000;
  /** At most one summary of failed requests per this (a dead endpoint fails every request). */
  static final long FAILURE_SUMMARY_INTERVAL_NANOS = 5_000_000_000L;
  /** While the circuit stays open, it is said again this often. */
  static final long CIRCUIT_OPEN_REPEAT_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final VespaTransport transport;
  private final Backoff backoff;
  private final Throttler throttler;
  private final CircuitBreaker breaker;
  private final FeedMetrics metrics;
  private final long timeoutMillis;
  private final boolean coalesce;
  private final LongSupplier clock;
  /** The operation at the head of each document's chain; the ones after it hang off {@link Op#next}. */
  private final Tracing tracing;
  /** In {@link #pump()}: a nested call returns, the running loop sends what it allows. */
  private boolean pumping;
  private final Map<DocumentId, Op> byDocument = new HashMap<>();
  private final ReadyLanes<Op> ready = new ReadyLanes<>();
  private final Set<Long> timers = new HashSet<>();
  private int inflight;
  private int waiting;
  private long blockedUntilNanos;
  private long blockedMillis;
  /** What keeps the feeder from delivering, for readiness; written on the event loop. */
  private volatile String problem;
  private boolean probing;
  private long wakeUpTimer = -1;
  private CircuitBreaker.State reportedState = CircuitBreaker.State.CLOSED;
  private final String endpoint;
  private final FailureSummary failures;
  private final LogRateLimiter stillOpen;
  /** The last failure that counted towards the breaker: what the circuit-open lines name. */
  private String lastCause = FailureCause.OTHER.label();
  private String lastDetail = "";
  private long openSinceNanos;
  private long failuresWhileOpen;
  private boolean draining;
  private boolean closed;
  private Promise<Void> drained;

  public DocumentFeeder(Vertx vertx, VespaTransport transport, VespaFeedOptions options, FeedMetrics metrics) {
    this(vertx, transport, options, metrics,
        new AdaptiveThrottler(options.getMinInflight(), options.getMaxInflight(), options.getInitialInflight(), System::nanoTime),
        new CircuitBreaker(options.getCircuitBreakerGrace().toNanos(), options.getCircuitBreakerProbeInterval().toNanos(), System::nanoTime));
  }

  DocumentFeeder(Vertx vertx, VespaTransport transport, VespaFeedOptions options, FeedMetrics metrics,
                 Throttler throttler, CircuitBreaker breaker) {
    this(vertx, transport, options, metrics, throttler, breaker, System::nanoTime);
  }

  /** @param clock nanosecond clock of the feed-blocked pause and the operations' latency, injected for tests */
  DocumentFeeder(Vertx vertx, VespaTransport transport, VespaFeedOptions options, FeedMetrics metrics,
                 Throttler throttler, CircuitBreaker breaker, LongSupplier clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.transport = transport;
    this.tracing = Tracing.of(vertx);
    this.backoff = new Backoff(options.getMinBackoff(), options.getMaxBackoff());
    this.throttler = throttler;
    this.breaker = breaker;
    this.metrics = metrics;
    this.timeoutMillis = options.getRequestTimeout().toMillis();
    this.coalesce = options.isCoalesceUpdates();
    this.endpoint = options.getEndpoint();
    this.failures = new FailureSummary(LOG, endpoint, FAILURE_SUMMARY_INTERVAL_NANOS, clock);
    this.stillOpen = new LogRateLimiter(CIRCUIT_OPEN_REPEAT_NANOS, clock);
    metrics.gauges(() -> inflight, () -> waiting, throttler::limit, () -> breaker.state() == CircuitBreaker.State.OPEN ? 1 : 0,
        () -> clock.getAsLong() < blockedUntilNanos || probing ? 1 : 0);
  }

  /**
   * @param operation the operation
   * @return its final outcome; fails with {@link FeederClosedException} only if the feeder is closed first
   */
  public Future<FeedOutcome> feed(DocumentOperation operation) {
    return feed(operation, Span.getInvalid());
  }

  /**
   * @param operation the operation
   * @param span      the trace it belongs to: each HTTP attempt is a child span of it (when tracing is on)
   * @return its final outcome; fails with {@link FeederClosedException} only if the feeder is closed first
   */
  public Future<FeedOutcome> feed(DocumentOperation operation, Span span) {
    return feed(operation, span, false);
  }

  /**
   * @param operation the operation
   * @param span      the trace it belongs to: each HTTP attempt is a child span of it (when tracing is on)
   * @param urgent    whether it goes before bulk operations waiting for a request slot (a latency-profile
   *                  topic's record); it still waits for earlier operations on the same document
   * @return its final outcome; fails with {@link FeederClosedException} only if the feeder is closed first
   */
  public Future<FeedOutcome> feed(DocumentOperation operation, Span span, boolean urgent) {
    if (closed || draining) {
      return Future.failedFuture(new FeederClosedException(operation.id().toString()));
    }
    Op head = byDocument.get(operation.id());
    if (head != null && coalesce && !head.tail.sent && head.tail.operation instanceof DocumentUpdate waitingUpdate
        && operation instanceof DocumentUpdate update && waitingUpdate.create() == update.create()) {
      Promise<FeedOutcome> promise = Promise.promise();
      head.tail.operation = waitingUpdate.mergedWith(update);
      head.tail.merged().add(promise);
      return promise.future();
    }
    Op op = new Op(operation, clock.getAsLong(), span, urgent);
    waiting++;
    if (head == null) {
      byDocument.put(operation.id(), op);
      ready.add(op, op.urgent);
      pump();
    } else {
      head.tail.next = op; // starts when the operations before it on this document are done
      head.tail = op;
    }
    return op.promise.future();
  }

  /** @return requests outstanding */
  public int inflight() {
    return inflight;
  }

  /** @return operations accepted and not finished (in flight, waiting for a slot, a retry or their document) */
  public int pending() {
    return inflight + waiting;
  }

  /** @return the current in-flight limit */
  public int limit() {
    return throttler.limit();
  }

  private void pump() {
    // A send that fails at once (a closed connection, the protocol hold-off) is answered inside send(),
    // and answering pumps again: without this guard every waiting operation would add stack frames until
    // the event loop's thread died of a StackOverflowError (seen when a proxy dropped the connection with
    // thousands waiting). The loop below goes on instead.
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      while (!closed && !draining && !ready.isEmpty() && inflight < allowed()) {
        if (!breaker.permits()) {
          wakeUpIn(breaker.nanosUntilProbe());
          return;
        }
        send(ready.poll());
      }
    } finally {
      pumping = false;
    }
  }

  /** @return how many requests may be outstanding: the throttler's limit, or one while probing a blocked feed */
  private int allowed() {
    long now = clock.getAsLong();
    if (now < blockedUntilNanos) {
      wakeUpIn(blockedUntilNanos - now);
      return 0;
    }
    return probing ? 1 : throttler.limit();
  }

  private void wakeUpIn(long nanos) {
    if (wakeUpTimer >= 0 || closed) {
      return;
    }
    wakeUpTimer = vertx.setTimer(Math.max(1, nanos / 1_000_000), t -> {
      timers.remove(t);
      wakeUpTimer = -1;
      pump();
    });
    timers.add(wakeUpTimer);
  }

  private void send(Op op) {
    waiting--;
    inflight++;
    op.attempts++;
    op.sent = true;
    op.inflightAtSend = inflight;
    tracing.within(vertx, op.span, () -> transport.send(op.operation, timeoutMillis)).onComplete(ar -> answered(op, ar));
  }

  private void answered(Op op, AsyncResult<VespaResponse> ar) {
    inflight--;
    if (closed) {
      return;
    }
    if (draining && inflight == 0) {
      drained.tryComplete();
    }
    if (ar.succeeded()) {
      VespaResponse response = ar.result();
      metrics.attempt(response.latencyNanos());
      int status = response.status();
      if (status == 507) {
        feedBlocked(op, response.message());
      } else {
        unblocked();
        if (status == 429 || status == 503 || status == 504) {
          throttler.throttled();
          if (status != 429) {
            failed(FailureCause.HTTP_STATUS, status, response.message());
          } else {
            breaker.success(); // Vespa answers and asks to slow down: not a failure
          }
          retryLater(op, Integer.toString(status), response.message());
        } else if (status >= 500) {
          failed(FailureCause.HTTP_STATUS, status, response.message());
          retryLater(op, Integer.toString(status), response.message());
        } else {
          breaker.success();
          throttler.success(response.latencyNanos(), op.inflightAtSend);
          finish(op, new FeedOutcome(response.isSuccess(), status, response.isSuccess() ? "" : response.message(),
              op.attempts, clock.getAsLong() - op.startNanos));
        }
      }
    } else {
      Throwable cause = ar.cause();
      boolean timeout = HttpFailures.isTimeout(cause); // by type, never by message
      if (timeout) {
        throttler.throttled();
      }
      String detail = cause instanceof HttpClosedException ? "connection closed" : cause.toString();
      FailureCause failure = timeout ? FailureCause.TIMEOUT : FailureCause.of(cause);
      failed(failure, 0, detail);
      retryLater(op, timeout ? "timeout" : "transport", detail);
    }
    reportBreaker();
    pump();
  }

  /**
   * @return null while the feeder can deliver; else one line saying why not (the circuit open, with
   *     the endpoint and the last cause, or the feed blocked by 507). Read from any thread.
   */
  public String problem() {
    return problem;
  }

  private void feedBlocked(Op op, String message) {
    problem = "feed blocked: Vespa at " + endpoint + " refuses writes (507): " + message;
    blockedMillis = blockedMillis == 0 ? FEED_BLOCKED_MIN_MILLIS : Math.min(FEED_BLOCKED_MAX_MILLIS, blockedMillis * 2);
    if (!probing) {
      LOG.atWarn().addKeyValue("pauseMs", blockedMillis).log("feed.blocked: Vespa refuses writes (507), feeding paused: {}", message);
    }
    blockedUntilNanos = clock.getAsLong() + blockedMillis * 1_000_000;
    probing = true;
    metrics.retry("507");
    waiting++;
    ready.addFirst(op, op.urgent); // the probe once the pause is over
  }

  private void unblocked() {
    if (probing) {
      probing = false;
      blockedMillis = 0;
      problem = breaker.state() == CircuitBreaker.State.OPEN ? problem : null;
      LOG.atInfo().log("feed.unblocked: Vespa accepts writes again");
    }
  }

  /** A failure that counts towards the breaker: remembered for the circuit lines, counted in the summary. */
  private void failed(FailureCause cause, int status, String detail) {
    breaker.failure();
    String label = status > 0 ? "HTTP " + status : cause.label();
    lastCause = label;
    lastDetail = status > 0 ? status + (detail.isEmpty() ? "" : ": " + detail) : detail;
    if (breaker.state() == CircuitBreaker.State.OPEN && reportedState == CircuitBreaker.State.OPEN) {
      failuresWhileOpen++; // the circuit lines say it; no summary of probes on top
    } else {
      failures.failed(label, lastDetail);
    }
  }

  /**
   * Says when the circuit opens (naming the endpoint and the cause), again every
   * {@link #CIRCUIT_OPEN_REPEAT_NANOS} while it stays open, and when it closes.
   */
  private void reportBreaker() {
    CircuitBreaker.State state = breaker.state();
    if (state != reportedState) {
      reportedState = state;
      if (state == CircuitBreaker.State.OPEN) {
        openSinceNanos = clock.getAsLong();
        failuresWhileOpen = 0;
        problem = "circuit open: Vespa at " + endpoint + " keeps failing (" + lastCause + ": " + lastDetail + ")";
        stillOpen.reset();
        stillOpen.permit(); // the next line is due one interval from now
        LOG.atWarn().addKeyValue("endpoint", endpoint).addKeyValue("cause", lastCause).addKeyValue("error", lastDetail)
            .log("feed.circuit_open: Vespa at {} keeps failing ({}); sending one probe at a time", endpoint, lastCause);
      } else {
        problem = null;
        LOG.atInfo().addKeyValue("endpoint", endpoint).addKeyValue("openMs", (clock.getAsLong() - openSinceNanos) / 1_000_000)
            .log("feed.circuit_closed: Vespa answers again");
      }
    } else if (state == CircuitBreaker.State.OPEN && stillOpen.permit()) {
      LOG.atWarn().addKeyValue("endpoint", endpoint).addKeyValue("cause", lastCause).addKeyValue("error", lastDetail)
          .addKeyValue("openS", (clock.getAsLong() - openSinceNanos) / 1_000_000_000).addKeyValue("failedProbes", failuresWhileOpen)
          .log("feed.circuit_still_open: Vespa at {} keeps failing ({})", endpoint, lastCause);
    }
  }

  private void retryLater(Op op, String cause, String detail) {
    metrics.retry(cause);
    if (op.attempts == 1 || op.attempts % 10 == 0) {
      LOG.atDebug().addKeyValue("id", op.operation.id()).addKeyValue("cause", cause).addKeyValue("attempt", op.attempts)
          .log("feed.retry: {}", detail);
    }
    waiting++;
    if (draining) {
      return; // failed by close(): the record stays uncommitted and is fed again after restart
    }
    long delay = backoff.delayMillis(op.attempts);
    long[] timer = new long[1];
    timer[0] = vertx.setTimer(delay, t -> {
      timers.remove(timer[0]);
      if (!closed) {
        ready.add(op, op.urgent);
        pump();
      }
    });
    timers.add(timer[0]);
  }

  private void finish(Op op, FeedOutcome outcome) {
    if (op.next == null) {
      byDocument.remove(op.operation.id());
    } else {
      op.next.tail = op.tail;
      byDocument.put(op.operation.id(), op.next);
      ready.add(op.next, op.next.urgent);
    }
    op.promise.complete(outcome);
    if (op.merged != null) {
      op.merged.forEach(p -> p.complete(outcome));
    }
  }

  /**
   * Stops sending: requests already sent get their answer (and their outcome, so their records can
   * be committed), nothing new is sent, retries are not made. Shutdown then takes one request's
   * time, not the time to empty the queue.
   *
   * @return completes when no request is outstanding
   */
  public Future<Void> drain() {
    if (drained == null) {
      draining = true;
      drained = Promise.promise();
      timers.forEach(vertx::cancelTimer);
      timers.clear();
      if (inflight == 0) {
        drained.complete();
      }
    }
    return drained.future();
  }

  /**
   * Stops feeding: operations not yet answered fail with {@link FeederClosedException} (they are
   * not acknowledged, so their records are not committed), then the transport closes.
   */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    for (Op head : byDocument.values()) {
      for (Op op = head; op != null; op = op.next) {
        FeederClosedException closedFirst = new FeederClosedException(op.operation.id().toString());
        op.promise.tryFail(closedFirst);
        if (op.merged != null) {
          op.merged.forEach(p -> p.tryFail(closedFirst));
        }
      }
    }
    byDocument.clear();
    ready.clear();
    metrics.close();
    return transport.close();
  }

  private static final class Op {
    /** What is sent; grows while the operation waits, if later updates are merged into it. */
    DocumentOperation operation;
    final long startNanos;
    final Promise<FeedOutcome> promise = Promise.promise();
    /** The promises of later operations merged into this one: they share its outcome. Null until one is (most never are). */
    List<Promise<FeedOutcome>> merged;
    int attempts;
    int inflightAtSend;
    boolean sent;
    /** The next operation on the same document, sent after this one's final answer. */
    Op next;
    /** On a document's head: the last operation of its chain. */
    Op tail = this;

    /** The record's span: the HTTP client's span of each attempt is its child. */
    final Span span;
    /** Sent before bulk operations waiting for a slot ({@link ReadyLanes}). */
    final boolean urgent;

    List<Promise<FeedOutcome>> merged() {
      if (merged == null) {
        merged = new ArrayList<>(2);
      }
      return merged;
    }

    Op(DocumentOperation operation, long startNanos, Span span, boolean urgent) {
      this.operation = operation;
      this.startNanos = startNanos;
      this.span = span;
      this.urgent = urgent;
    }
  }
}
