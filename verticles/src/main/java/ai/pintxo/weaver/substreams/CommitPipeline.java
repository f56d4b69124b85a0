package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Final blocks on their way to Kafka: they queue here, and one {@link TransactionalSink}
 * transaction at a time carries up to {@code maxBatchBlocks} of them with the cursor after the last
 * one; while it runs, the next batch gathers. Owns the last committed cursor, which is where a
 * reconnect resumes.
 *
 * <p>Threading: confined to the verticle's event loop; the sink's futures complete there.
 */
final class CommitPipeline {

  /** What a transaction's end means to the substream. */
  interface Listener {

    /** A batch is in Kafka and {@link #committed()} moved past it. */
    void committed();

    /** A transaction failed; its blocks are gone from the queue and must be streamed again. */
    void failed(Throwable cause, int blocks);

    /** The transaction in flight ended, either way (called after the two above). */
    void settled();
  }

  private final TransactionalSink sink;
  private final SubstreamsOptions options;
  private final String moduleHash;
  private final SubstreamsMetrics metrics;
  private final TimeSource time;
  private final Listener listener;
  private final ArrayDeque<PendingBlock> pending = new ArrayDeque<>();

  private SubstreamsCursor committed;
  private boolean inFlight;
  private boolean stopped;
  private Promise<Void> drained;
  private long blocksCommitted;
  private long recordsCommitted;

  CommitPipeline(TransactionalSink sink, SubstreamsOptions options, String moduleHash, SubstreamsMetrics metrics, TimeSource time,
                 SubstreamsCursor committed, Listener listener) {
    this.sink = sink;
    this.options = options;
    this.moduleHash = moduleHash;
    this.metrics = metrics;
    this.time = time;
    this.committed = committed;
    this.listener = listener;
  }

  /** Queues blocks released by the undo buffer, in order. */
  void add(List<PendingBlock> blocks) {
    pending.addAll(blocks);
  }

  /** Drops the queued blocks (not the one in flight): a reconnect streams them again. */
  void clear() {
    pending.clear();
  }

  /** @return blocks queued and not yet in a transaction */
  int pending() {
    return pending.size();
  }

  /** @return whether a transaction is running */
  boolean inFlight() {
    return inFlight;
  }

  /** @return whether nothing is queued or in flight */
  boolean idle() {
    return pending.isEmpty() && !inFlight;
  }

  /** @return the cursor of the last committed block, or null before the first commit of a new substream */
  SubstreamsCursor committed() {
    return committed;
  }

  long blocksCommitted() {
    return blocksCommitted;
  }

  long recordsCommitted() {
    return recordsCommitted;
  }

  /** Starts a transaction with the queued blocks, unless one runs already, nothing is queued or the pipeline stopped. */
  void flush() {
    if (inFlight || pending.isEmpty() || stopped) {
      return;
    }
    List<PendingBlock> batch = new ArrayList<>(Math.min(pending.size(), options.getMaxBatchBlocks()));
    while (!pending.isEmpty() && batch.size() < options.getMaxBatchBlocks()) {
      batch.add(pending.poll());
    }
    PendingBlock last = batch.get(batch.size() - 1);
    SubstreamsCursor cursor = new SubstreamsCursor(options.getName(), last.cursor(), last.block().number(), last.block().id(),
        options.getOutputModule(), moduleHash, time.currentTimeMillis());
    inFlight = true;
    sink.commit(batch, cursor, SubstreamsCursor.TOPIC.encode(cursor)).onComplete(ar -> {
      inFlight = false;
      if (ar.succeeded()) {
        record(batch, cursor);
        listener.committed();
      } else {
        listener.failed(ar.cause(), batch.size());
      }
      if (drained != null) {
        drained.tryComplete();
      }
      listener.settled();
    });
  }

  /** Starts no more transactions. */
  void stop() {
    stopped = true;
  }

  /** @return completes when no transaction is in flight */
  Future<Void> drained() {
    if (!inFlight) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }

  private void record(List<PendingBlock> batch, SubstreamsCursor cursor) {
    committed = cursor;
    long records = 0;
    for (PendingBlock b : batch) {
      records += b.records().size();
    }
    blocksCommitted += batch.size();
    recordsCommitted += records;
    metrics.blocks.increment(batch.size());
    metrics.records.increment(records);
    metrics.transactions.increment();
    metrics.committedBlock.set(cursor.blockNumber());
  }
}
