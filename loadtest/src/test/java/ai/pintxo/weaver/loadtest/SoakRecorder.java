package ai.pintxo.weaver.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Collects the soak's figures by window: latencies as they happen, and a {@link ProcessSample} of the weaver
 * every 5 s (on a daemon thread of its own, so a busy load generator does not skew the interval). Writes
 * every sample to {@code samples.csv} and the per-window table to {@code windows.md}.
 */
public final class SoakRecorder implements AutoCloseable {

  static final long SAMPLE_SECONDS = 5;

  private final long windowSeconds;
  private final long startNanos = System.nanoTime();
  private final Map<Long, SoakWindow> windows = new ConcurrentSkipListMap<>();
  private final List<ProcessSample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-sampler");
    t.setDaemon(true);
    return t;
  });

  SoakRecorder(long windowSeconds, long pid, GcLog gcLog) {
    this.windowSeconds = windowSeconds;
    sampler.scheduleAtFixedRate(() -> {
      long seconds = elapsedSeconds();
      ProcessSample sample = ProcessSample.take(pid, seconds, gcLog);
      samples.add(sample);
      window(seconds).samples.add(sample);
    }, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
  }

  private long elapsedSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  private SoakWindow window(long seconds) {
    return windows.computeIfAbsent(seconds / windowSeconds, SoakWindow::new);
  }

  /** An ingest request answered 202 after {@code millis}, or refused (any other outcome). */
  public void ingest(boolean accepted, long millis) {
    SoakWindow window = window(elapsedSeconds());
    if (accepted) {
      window.accepted.incrementAndGet();
      window.ingest.record(millis);
    } else {
      window.refused.incrementAndGet();
    }
  }

  /** A trade written to Vespa {@code millis} after its trade time. */
  void endToEnd(long millis) {
    window(elapsedSeconds()).endToEnd.record(millis);
  }

  List<ProcessSample> samples() {
    return List.copyOf(samples);
  }

  /** @return the table, one row per window */
  String table() {
    List<String> lines = new ArrayList<>();
    lines.add(SoakWindow.header());
    windows.values().forEach(w -> lines.add(w.row(windowSeconds)));
    return String.join("\n", lines);
  }

  /** Writes {@code samples.csv} and {@code windows.md} into {@code dir}. */
  void write(Path dir) throws IOException {
    List<String> csv = new ArrayList<>();
    csv.add(ProcessSample.csvHeader());
    samples.forEach(s -> csv.add(s.csv()));
    Files.write(dir.resolve("samples.csv"), csv);
    Files.writeString(dir.resolve("windows.md"), table() + "\n");
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
