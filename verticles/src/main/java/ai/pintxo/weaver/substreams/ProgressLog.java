package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.impl.time.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic {@code substreams.progress} line: where the stream is, how far behind the head, and
 * the commit rates since the previous line. One line per interval, never per block.
 */
final class ProgressLog {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);

  private final TimeSource time;
  private final long intervalNanos;
  private final String substream;
  private final SubstreamsMetrics metrics;
  private long lastNanos;
  private long lastBlocks;
  private long lastRecords;

  ProgressLog(TimeSource time, long intervalMillis, String substream, SubstreamsMetrics metrics) {
    this.time = time;
    this.intervalNanos = intervalMillis * 1_000_000;
    this.substream = substream;
    this.metrics = metrics;
    this.lastNanos = time.nanoTime();
  }

  /** Logs a line when the interval has passed since the last one. */
  void maybeLog(long blocksCommitted, long recordsCommitted) {
    long now = time.nanoTime();
    if (now - lastNanos < intervalNanos) {
      return;
    }
    double seconds = (now - lastNanos) / 1e9;
    LOG.atInfo().addKeyValue("substream", substream).addKeyValue("block", metrics.blockNumber.get())
        .addKeyValue("committedBlock", metrics.committedBlock.get()).addKeyValue("headDriftSeconds", metrics.headDriftSeconds.get())
        .addKeyValue("blocksPerSecond", Math.round((blocksCommitted - lastBlocks) / seconds))
        .addKeyValue("recordsPerSecond", Math.round((recordsCommitted - lastRecords) / seconds))
        .addKeyValue("reconnects", (long) metrics.reconnects.count()).addKeyValue("undoSignals", (long) metrics.undoSignals.count())
        .log("substreams.progress");
    lastNanos = now;
    lastBlocks = blocksCommitted;
    lastRecords = recordsCommitted;
  }
}
