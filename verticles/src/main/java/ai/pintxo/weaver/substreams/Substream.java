package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.time.TimeSource;
import ai.pintxo.weaver.pipeline.Lag;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.trace.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control flow of one running substream: connects, reconnects from the last committed cursor
 * after a backoff, stops on a fatal error, finishes at the stop block, resumes a paused stream when
 * Kafka caught up, and once a second asks the {@link Watchdog} and the {@link ProgressLog}. The
 * parts it composes hold the state: {@link StreamSession} (the call), {@link StreamHandler} (its
 * messages), {@link UndoBuffer} and {@link CommitPipeline} (the blocks and the cursor).
 *
 * <p>Threading: confined to the verticle's event loop.
 */
final class Substream implements StreamHandler.Outcome, CommitPipeline.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);
  private static final long KEEPALIVE_TIMEOUT_MILLIS = 10_000;
  private static final long PROGRESS_LOG_MILLIS = 15_000;

  private final Vertx vertx;
  private final SubstreamsOptions options;
  private final Prepared prepared;
  private final SubstreamsMetrics metrics;
  private final Promise<Void> completion;
  private final UndoBuffer buffer;
  private final Backoff backoff;
  private final CommitPipeline pipeline;
  private final Watchdog watchdog;
  private final ProgressLog progress;
  private final StreamSession session;
  private final UnitReporter reporter;
  private final StreamHandler handler;
  private final ReorgPropagation propagation;
  private boolean stopped;
  private boolean connectAfterCommit;
  private long timer = -1;
  private long connects;

  Substream(Vertx vertx, SubstreamsOptions options, Prepared prepared, SubstreamsMetrics metrics, TransactionalSink sink, GrpcClient client,
            SubstreamsCursor stored, TimeSource time, Promise<Void> completion, UnitReporter reporter) {
    this.reporter = reporter;
    this.vertx = vertx;
    this.options = options;
    this.prepared = prepared;
    this.metrics = metrics;
    this.completion = completion;
    this.buffer = new UndoBuffer(options.effectiveUndoBufferSize());
    this.backoff = new Backoff(options.getMinBackoff(), options.getMaxBackoff());
    this.pipeline = new CommitPipeline(sink, options, prepared.moduleHash(), metrics, time, stored, this);
    this.watchdog = new Watchdog(time, options.getInactivityTimeout(), options.getKeepAliveInterval());
    this.progress = new ProgressLog(time, PROGRESS_LOG_MILLIS, options.getName(), metrics);
    this.propagation = options.isPropagate() ? new ReorgPropagation(options) : null;
    this.handler = new StreamHandler(options, prepared, metrics, buffer, propagation, backoff, pipeline, watchdog, time, this,
        Tracing.of(vertx));
    String[] hostPort = options.getEndpoint().split(":");
    this.session = new StreamSession(client, SocketAddress.inetSocketAddress(Integer.parseInt(hostPort[1]), hostPort[0]),
        prepared.auth(), options.getCluster().member(), handler);
    reporter.lag("head-drift", () -> metrics.blockNumber.get() < 0 ? null
        : new Lag("head-drift", metrics.headDriftSeconds.get(), Double.NaN));
    handler.bind(session);
  }

  /** Connects and starts the once-a-second checks. */
  void start() {
    timer = vertx.setPeriodic(1000, t -> tick());
    connect();
  }

  /** @return the block a (re)connect resumes after, or {@code none} before the first commit */
  String resumeBlock(String none) {
    SubstreamsCursor committed = pipeline.committed();
    return committed == null ? none : Long.toString(committed.blockNumber());
  }

  /**
   * Cancels the call and starts no more transactions.
   *
   * @return completes when the transaction in flight, if any, ended
   */
  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    session.close();
    pipeline.stop();
    return pipeline.drained();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    if (pipeline.inFlight()) {
      connectAfterCommit = true; // the cursor to resume from is the one this commit may still store
      return;
    }
    pipeline.clear();
    if (propagation == null) {
      open();
      return;
    }
    // The journal must hold what is committed, not what was queued and dropped: rebuilt from Kafka
    // before each call (no transaction is in flight here, the sink's producer fenced any older one).
    long attempt = ++connects;
    propagation.reload(vertx).onComplete(ar -> {
      if (stopped || attempt != connects) { // stopped, or a later connect superseded this one
        return;
      }
      if (ar.failed()) {
        retry("cannot rebuild the reorg journal from Kafka: " + ar.cause().getMessage());
      } else {
        open();
      }
    });
  }

  private void open() {
    SubstreamsCursor committed = pipeline.committed();
    buffer.reset(committed == null ? -1 : committed.blockNumber(), committed == null ? "" : committed.blockId());
    handler.callStarted(committed == null ? -1 : committed.blockNumber());
    watchdog.restart();
    session.open(prepared.request(options, committed));
  }

  @Override
  public void retry(String reason) {
    if (stopped) {
      return;
    }
    session.close();
    metrics.reconnects.increment();
    long delay = backoff.nextDelayMillis();
    reporter.backingOff(java.time.Instant.now().plusMillis(delay), reason);
    LOG.atWarn().addKeyValue("substream", options.getName()).addKeyValue("delayMs", delay).addKeyValue("resumeBlock", resumeBlock("start"))
        .log("substreams.reconnecting: {}", reason);
    vertx.setTimer(delay, t -> connect());
  }

  @Override
  public void fatal(String message) {
    if (completion.future().isComplete()) {
      return;
    }
    session.close();
    LOG.atError().addKeyValue("substream", options.getName()).log("substreams.stopped: {}", message);
    completion.tryFail(new SubstreamsException("substream " + options.getName() + ": " + message));
    stopped = true;
    pipeline.stop();
  }

  @Override
  public void finished() {
    if (completion.future().isComplete()) {
      return;
    }
    LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("stopBlock", options.getStopBlock())
        .addKeyValue("lastBlock", resumeBlock("-1")).addKeyValue("blocks", pipeline.blocksCommitted())
        .addKeyValue("records", pipeline.recordsCommitted()).log("substreams.stop_block_reached");
    completion.tryComplete();
  }

  @Override
  public void committed() {
    reporter.event();
    if (stopped || connectAfterCommit) {
      return;
    }
    if (pipeline.pending() < options.getMaxPendingBlocks() / 2 + 1) {
      session.resume();
    }
    if (session.isEnded() && pipeline.pending() == 0) {
      finished();
    } else {
      pipeline.flush();
    }
  }

  @Override
  public void failed(Throwable cause, int blocks) {
    if (TransactionalSink.isFenced(cause)) {
      fatal("another instance took over substream " + options.getName() + " (its Kafka producer was fenced)");
    } else if (!stopped) {
      LOG.atWarn().addKeyValue("substream", options.getName()).addKeyValue("blocks", blocks)
          .log("substreams.commit_failed: {}; resuming from the last committed cursor", String.valueOf(cause));
      retry("Kafka transaction failed");
    }
  }

  @Override
  public void settled() {
    if (connectAfterCommit && !stopped) {
      connectAfterCommit = false;
      connect();
    }
  }

  /** Once a second: inactivity watchdog, keepalive ping, progress log. */
  private void tick() {
    switch (watchdog.check(session.isStreaming() && !stopped, session.isOpen())) {
      case RECONNECT -> {
        retry("no message for " + options.getInactivityTimeout().toSeconds() + " s");
        return;
      }
      case PING -> session.ping(KEEPALIVE_TIMEOUT_MILLIS).onFailure(err -> retry("keepalive ping failed: " + err.getMessage()));
      default -> {
      }
    }
    progress.maybeLog(pipeline.blocksCommitted(), pipeline.recordsCommitted());
  }
}
