package ai.pintxo.weaver.loadtest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one window of the soak (5 minutes in the full run) saw: the ingest requests answered, their latency
 * (POST to 202, i.e. Kafka acknowledged every record), the end-to-end latency of trades (the trade's
 * time, set when its request body or stream message was made, to the Vespa emulator's write), and the
 * weaver process's samples.
 */
final class SoakWindow {

  final long index;
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final LatencyHistogram ingest = new LatencyHistogram();
  final LatencyHistogram endToEnd = new LatencyHistogram();
  final List<ProcessSample> samples = new CopyOnWriteArrayList<>();

  SoakWindow(long index) {
    this.index = index;
  }

  static String header() {
    return "| window | ingest 202 | refused | ingest p99 ms | trade → Vespa p99 ms | RSS MB (end / max) | heap after GC MB (last / max) "
        + "| GC pauses | GC pause total / max ms | fds (end / max) | of which sockets (end) | threads (end / max) |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  }

  String row(long windowSeconds) {
    ProcessSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    long maxRss = samples.stream().mapToLong(ProcessSample::rssMb).max().orElse(-1);
    long maxHeap = samples.stream().mapToLong(s -> s.gc().heapAfterMb()).max().orElse(-1);
    int pauses = samples.stream().mapToInt(s -> s.gc().count()).sum();
    double pauseTotal = samples.stream().mapToDouble(s -> s.gc().totalMillis()).sum();
    double pauseMax = samples.stream().mapToDouble(s -> s.gc().maxMillis()).max().orElse(0);
    int maxFds = samples.stream().mapToInt(ProcessSample::fds).max().orElse(-1);
    int maxThreads = samples.stream().mapToInt(ProcessSample::threads).max().orElse(-1);
    return "| " + label(windowSeconds) + " | " + accepted.get() + " | " + refused.get() + " | " + ingest.percentile(99) + " | "
        + endToEnd.percentile(99) + " | " + (last == null ? "-" : last.rssMb() + " / " + maxRss) + " | "
        + (last == null ? "-" : last.gc().heapAfterMb() + " / " + maxHeap) + " | " + pauses + " | "
        + String.format("%.0f / %.0f", pauseTotal, pauseMax) + " | " + (last == null ? "-" : last.fds() + " / " + maxFds) + " | " + (last == null ? "-" : last.sockets()) + " | "
        + (last == null ? "-" : last.threads() + " / " + maxThreads) + " |";
  }

  private String label(long windowSeconds) {
    long from = index * windowSeconds;
    long to = from + windowSeconds;
    return windowSeconds % 60 == 0 ? (from / 60) + "–" + (to / 60) + " min" : from + "–" + to + " s";
  }
}
