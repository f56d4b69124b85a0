package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.time.TimeSource;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockScopedData;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockUndoSignal;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.SessionInit;
import ai.pintxo.weaver.trace.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a substream does with the messages of its current call: blocks are mapped to records and
 * pushed through the {@link UndoBuffer}, undo signals roll it back, the blocks it releases go to
 * the {@link CommitPipeline}, and the stream is paused when too many of them queue. How the call
 * ends is handed to the {@link Outcome}: reconnect, stop on an error, or finished.
 * With {@code undoMode: "propagate"} the {@link ReorgPropagation} takes the undo buffer's place:
 * blocks go to the pipeline at once and an undo queues its compensations.
 *
 * <p>Threading: confined to the verticle's event loop.
 */
final class StreamHandler implements StreamSession.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);

  /** What the substream as a whole does next. */
  interface Outcome {

    /** Reconnects from the last committed cursor after a backoff. */
    void retry(String reason);

    /** Stops the substream with one clear error. */
    void fatal(String message);

    /** Every block up to the stop block is committed. */
    void finished();
  }

  private static final AttributeKey<Long> BLOCK = AttributeKey.longKey("weaver.block");

  private final SubstreamsOptions options;
  private final Prepared prepared;
  private final SubstreamsMetrics metrics;
  private final UndoBuffer buffer;
  private final Backoff backoff;
  private final CommitPipeline pipeline;
  private final Watchdog watchdog;
  private final TimeSource time;
  private final Outcome outcome;
  private final Tracing tracing;
  private final BlockSequence sequence;
  private final ReorgPropagation propagation;
  private StreamSession session;

  /** @param propagation with {@code undoMode: "propagate"}, what takes the undo buffer's place; null otherwise */
  StreamHandler(SubstreamsOptions options, Prepared prepared, SubstreamsMetrics metrics, UndoBuffer buffer, ReorgPropagation propagation,
                Backoff backoff, CommitPipeline pipeline, Watchdog watchdog, TimeSource time, Outcome outcome, Tracing tracing) {
    this.propagation = propagation;
    this.options = options;
    this.prepared = prepared;
    this.metrics = metrics;
    this.buffer = buffer;
    this.backoff = backoff;
    this.pipeline = pipeline;
    this.watchdog = watchdog;
    this.time = time;
    this.outcome = outcome;
    this.tracing = tracing;
    this.sequence = new BlockSequence(options.getGapCheck());
  }

  /** @param resumedAfter the block of the cursor the new call resumes after, or -1 when it starts at the configured block */
  void callStarted(long resumedAfter) {
    sequence.restart(resumedAfter);
  }

  /** @param session the call this handler listens to (built with this handler, hence not a constructor argument) */
  void bind(StreamSession session) {
    this.session = session;
  }

  @Override
  public void onMessage(Response m) {
    watchdog.activity();
    switch (m.getMessageCase()) {
      case SESSION -> logSession(m.getSession());
      case PROGRESS -> metrics.progressMessages.increment();
      case BLOCK_SCOPED_DATA -> onBlock(m.getBlockScopedData());
      case BLOCK_UNDO_SIGNAL -> onUndo(m.getBlockUndoSignal());
      case FATAL_ERROR -> LOG.atError().addKeyValue("substream", options.getName()).addKeyValue("module", m.getFatalError().getModule())
          .log("substreams.server_error: {}", m.getFatalError().getReason());
      default -> {
        // debug snapshots are not requested; unknown messages of newer servers are ignored
      }
    }
  }

  @Override
  public void onEnd() {
    pipeline.add(buffer.releaseAll(options.getStopBlock()));
    if (pipeline.idle()) {
      outcome.finished();
    } else {
      pipeline.flush();
    }
  }

  @Override
  public void onStatus(GrpcStatus status, String message) {
    if (StreamErrors.isFatal(status, message)) {
      outcome.fatal("the server refused the stream with " + status.name() + " \"" + message + "\": " + StreamErrors.hint(status));
    } else {
      outcome.retry(status.name() + " " + message);
    }
  }

  @Override
  public void onBroken(String reason) {
    outcome.retry(reason);
  }

  private void logSession(SessionInit s) {
    LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("traceId", s.getTraceId())
        .addKeyValue("resolvedStartBlock", s.getResolvedStartBlock()).addKeyValue("linearHandoffBlock", s.getLinearHandoffBlock())
        .addKeyValue("maxParallelWorkers", s.getMaxParallelWorkers()).addKeyValue("chainHead", s.getChainHead())
        .log("substreams.session");
    SubstreamsCursor committed = pipeline.committed();
    if (committed != null && s.getResolvedStartBlock() != 0 && s.getResolvedStartBlock() > committed.blockNumber() + 1) {
      LOG.atWarn().addKeyValue("substream", options.getName()).log("substreams.resume_gap: resolved start {} is after the cursor's block {} + 1"
          + " (the chain may skip block numbers)", s.getResolvedStartBlock(), committed.blockNumber());
    }
  }

  private void onBlock(BlockScopedData data) {
    backoff.reset();
    long number = data.getClock().getNumber();
    String outOfSequence = sequence.accept(number);
    if (outOfSequence != null) {
      outcome.fatal("stream out of order: " + outOfSequence);
      return;
    }
    metrics.blockNumber.set(number);
    metrics.finalBlockHeight.set(data.getFinalBlockHeight());
    metrics.headDriftSeconds.set(Math.max(0, time.currentTimeMillis() / 1000 - data.getClock().getTimestamp().getSeconds()));
    List<PendingBlock> released;
    if (options.getStopBlock() > 0 && number >= options.getStopBlock()) {
      // past the stop block: only confirms earlier ones
      if (propagation != null) {
        propagation.confirm(data.getFinalBlockHeight());
        released = List.of();
      } else {
        released = buffer.releaseFinal(data.getFinalBlockHeight());
      }
    } else {
      // One trace per block: its records carry it to the connector.
      Span span = tracing.sourceEvent("substreams block", options.getCluster().getPipeline(), options.getName());
      try (Scope scope = tracing.current(span)) {
        PendingBlock block = prepared.processor().process(data, tracing.headers(span, List.of()));
        if (span.isRecording()) {
          span.setAttribute(BLOCK, number).setAttribute(Tracing.RECORDS, (long) block.records().size());
        }
        released = propagation != null ? List.of(propagation.block(block, data.getFinalBlockHeight()))
            : buffer.push(block, data.getFinalBlockHeight());
        span.end();
      } catch (IllegalStateException e) {
        Tracing.fail(span, "stream out of order: " + e.getMessage());
        outcome.fatal("stream out of order: " + e.getMessage());
        return;
      }
    }
    pipeline.add(released);
    pipeline.flush();
    if (pipeline.pending() >= options.getMaxPendingBlocks() && session.pause()) {
      metrics.pauses.increment();
    }
  }

  private void onUndo(BlockUndoSignal undo) {
    metrics.undoSignals.increment();
    sequence.undo(undo.getLastValidBlock().getNumber());
    try {
      if (propagation != null) {
        // Compensations and the last valid cursor in one transaction, after the blocks they undo.
        PendingBlock compensations = propagation.undo(undo);
        metrics.compensations.increment(compensations.records().size());
        pipeline.add(List.of(compensations));
        pipeline.flush();
        LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("lastValidBlock", undo.getLastValidBlock().getNumber())
            .addKeyValue("compensations", compensations.records().size()).log("substreams.undo_propagated");
        return;
      }
      int dropped = buffer.undo(undo.getLastValidBlock().getNumber(), undo.getLastValidBlock().getId());
      LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("lastValidBlock", undo.getLastValidBlock().getNumber())
          .addKeyValue("dropped", dropped).log("substreams.undo");
    } catch (UndoBuffer.UndoTooDeepException e) {
      outcome.fatal(e.getMessage());
    }
  }
}
