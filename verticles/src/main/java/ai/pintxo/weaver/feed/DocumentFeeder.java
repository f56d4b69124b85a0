package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds document operations to Vespa: the one class with feed control flow.
 *
 * <ul>
 *   <li>Operations on one document are sent one after the other, in the order given, each after
 *       the previous one's final answer (retries included); different documents go in parallel.</li>
 *   <li>At most {@code maxInflight} requests are outstanding; the rest wait in arrival order.</li>
 *   <li>429, 5xx and transport failures are retried with {@link RetryBackoff}, without limit:
 *       nothing is dropped. Other statuses are final: 200 succeeds, any other 4xx is a rejection
 *       the caller dead-letters.</li>
 * </ul>
 *
 * <p>Threading: confined to the Vert.x context that created it; call it only from there.
 */
public final class DocumentFeeder {

  private static final Logger LOG = LoggerFactory.getLogger(DocumentFeeder.class);

  private final Vertx vertx;
  private final VespaTransport transport;
  private final RetryBackoff backoff;
  private final FeedMetrics metrics;
  private final long timeoutMillis;
  private final int maxInflight;
  private final Map<DocumentId, ArrayDeque<Op>> byDocument = new HashMap<>();
  private final ArrayDeque<Op> ready = new ArrayDeque<>();
  private final Set<Long> retryTimers = new HashSet<>();
  private int inflight;
  private int waiting;
  private boolean draining;
  private boolean closed;
  private Promise<Void> drained;

  public DocumentFeeder(Vertx vertx, VespaTransport transport, VespaFeedOptions options, FeedMetrics metrics) {
    this.vertx = vertx;
    this.transport = transport;
    this.backoff = new RetryBackoff(options.getMinBackoff(), options.getMaxBackoff());
    this.metrics = metrics;
    this.timeoutMillis = options.getRequestTimeout().toMillis();
    this.maxInflight = options.getMaxInflight();
    metrics.gauges(() -> inflight, () -> waiting);
  }

  /**
   * @param operation the operation
   * @return its final outcome; fails with {@link FeederClosedException} only if the feeder is closed first
   */
  public Future<FeedOutcome> feed(DocumentOperation operation) {
    if (closed) {
      return Future.failedFuture(new FeederClosedException(operation.id().toString()));
    }
    Op op = new Op(operation, System.nanoTime());
    waiting++;
    ArrayDeque<Op> sameDocument = byDocument.get(operation.id());
    if (sameDocument == null) {
      sameDocument = new ArrayDeque<>(2);
      byDocument.put(operation.id(), sameDocument);
      sameDocument.add(op);
      ready.add(op);
      pump();
    } else {
      sameDocument.add(op); // starts when the operations before it on this document are done
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

  private void pump() {
    while (!closed && !draining && inflight < maxInflight && !ready.isEmpty()) {
      send(ready.poll());
    }
  }

  private void send(Op op) {
    waiting--;
    inflight++;
    op.attempts++;
    transport.send(op.operation, timeoutMillis).onComplete(ar -> answered(op, ar));
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
      if (response.isSuccess()) {
        finish(op, new FeedOutcome(true, response.status(), "", op.attempts, System.nanoTime() - op.startNanos));
      } else if (response.isRetryable()) {
        retryLater(op, Integer.toString(response.status()), response.message());
      } else {
        finish(op, new FeedOutcome(false, response.status(), response.message(), op.attempts, System.nanoTime() - op.startNanos));
      }
    } else {
      retryLater(op, "transport", ar.cause().toString());
    }
    pump();
  }

  private void retryLater(Op op, String cause, String detail) {
    metrics.retry(cause);
    long delay = backoff.delayMillis(op.attempts);
    if (op.attempts == 1 || op.attempts % 10 == 0) {
      LOG.atDebug().addKeyValue("id", op.operation.id()).addKeyValue("cause", cause).addKeyValue("attempt", op.attempts)
          .addKeyValue("retryInMs", delay).log("feed.retry: {}", detail);
    }
    waiting++;
    if (draining) {
      return; // failed by close(): the record stays uncommitted and is fed again after restart
    }
    long[] timer = new long[1];
    timer[0] = vertx.setTimer(delay, t -> {
      retryTimers.remove(timer[0]);
      if (!closed) {
        ready.add(op);
        pump();
      }
    });
    retryTimers.add(timer[0]);
  }

  private void finish(Op op, FeedOutcome outcome) {
    ArrayDeque<Op> sameDocument = byDocument.get(op.operation.id());
    sameDocument.poll();
    if (sameDocument.isEmpty()) {
      byDocument.remove(op.operation.id());
    } else {
      ready.add(sameDocument.peek());
    }
    op.promise.complete(outcome);
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
      retryTimers.forEach(vertx::cancelTimer);
      retryTimers.clear();
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
    retryTimers.forEach(vertx::cancelTimer);
    retryTimers.clear();
    for (ArrayDeque<Op> ops : byDocument.values()) {
      for (Op op : ops) {
        op.promise.tryFail(new FeederClosedException(op.operation.id().toString()));
      }
    }
    byDocument.clear();
    ready.clear();
    metrics.close();
    return transport.close();
  }

  private static final class Op {
    final DocumentOperation operation;
    final long startNanos;
    final Promise<FeedOutcome> promise = Promise.promise();
    int attempts;

    Op(DocumentOperation operation, long startNanos) {
      this.operation = operation;
      this.startNanos = startNanos;
    }
  }
}
