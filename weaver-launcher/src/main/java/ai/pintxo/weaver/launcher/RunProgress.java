package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.pipeline.PipelineBoard;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weaver run}'s progress: on a terminal, a table within 100 columns redrawn in place every
 * second ({@link ProgressView}: the totals, writes fed by document type, the problems); elsewhere one
 * structured {@code progress} log line every 10 s. Both show every interval, also when nothing
 * moves: a stalled pipeline says so, and why, instead of going quiet. Runs on a Vert.x timer.
 */
final class RunProgress {

  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
  static final long TABLE_EVERY_MILLIS = 1_000;
  static final long LOG_EVERY_MILLIS = 10_000;
  /** More problems than this fold into one "… n more" line, so the table stays on one screen. */
  private static final int PROBLEMS_SHOWN = 5;

  private final MeterRegistry registry;
  private final Supplier<List<String>> problems;
  private final ProgressView view;
  private final LongSupplier nanos;
  private final long startedAt;
  private long lastFed = -1;
  private long lastAt;

  /** @param view the terminal's table, or null to log lines */
  RunProgress(MeterRegistry registry, Supplier<List<String>> problems, ProgressView view, LongSupplier nanos) {
    this.registry = registry;
    this.problems = problems;
    this.view = view;
    this.nanos = nanos;
    this.startedAt = nanos.getAsLong();
    this.lastAt = startedAt;
  }

  /** Shows progress from now on: a table on {@code out} when it is a terminal, else log lines. */
  static void start(WeaverRuntime runtime, PrintStream out, boolean terminal) {
    Vertx vertx = runtime.vertx();
    RunProgress progress = new RunProgress(runtime.registry(), () -> PipelineBoard.of(vertx).problems(),
        terminal ? new ProgressView(out, true) : null, System::nanoTime);
    vertx.setPeriodic(terminal ? TABLE_EVERY_MILLIS : LOG_EVERY_MILLIS, t -> progress.show());
  }

  void show() {
    Progress p = Progress.read(registry);
    long now = nanos.getAsLong();
    long perSecond = lastFed < 0 ? 0 : Math.round((p.fed() - lastFed) / ((now - lastAt) / 1e9));
    lastFed = p.fed();
    lastAt = now;
    List<String> problemsNow = problems.get();
    if (view == null) {
      var line = LOG.atInfo().addKeyValue("polled", p.polled()).addKeyValue("produced", p.produced()).addKeyValue("fed", p.fed())
          .addKeyValue("rejected", p.rejected()).addKeyValue("deadLetters", p.deadLetters()).addKeyValue("retries", p.retries())
          .addKeyValue("fedPerSecond", perSecond);
      if (!problemsNow.isEmpty()) {
        line = line.addKeyValue("problems", problemsNow);
      }
      line.log("progress");
      return;
    }
    String head = String.format("[%s] polled %,d  produced %,d  fed %,d (%,d/s)", elapsed((now - startedAt) / 1_000_000_000L), p.polled(),
        p.produced(), p.fed(), perSecond);
    List<String> cells = new ArrayList<>();
    for (Map.Entry<String, Long> e : p.fedByType().entrySet()) {
      cells.add(String.format("  %-14s %,15d", ProgressView.fit(e.getKey(), 14), e.getValue()));
    }
    List<String> notes = new ArrayList<>();
    notes.add(String.format("rejected %,d  dead letters %,d  Vespa retries %,d  (fed: writes Vespa acknowledged, by document type above)",
        p.rejected(), p.deadLetters(), p.retries()));
    problemsNow.stream().limit(PROBLEMS_SHOWN).forEach(problem -> notes.add("problem: " + problem));
    if (problemsNow.size() > PROBLEMS_SHOWN) {
      notes.add("… " + (problemsNow.size() - PROBLEMS_SHOWN) + " more problems: see /ready");
    }
    view.show(head, cells, notes);
  }

  /** @return {@code 59s}, {@code 12m05s}, {@code 3h07m} */
  static String elapsed(long seconds) {
    if (seconds < 60) {
      return String.format("%4ds", seconds);
    }
    if (seconds < 3600) {
      return String.format("%2dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
