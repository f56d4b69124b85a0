package ai.pintxo.weaver.demo;

import ai.pintxo.weaver.launcher.ProgressView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's progress on a {@link ProgressView}: documents in Vespa against what is expected, in
 * total on the head line and per type in the table (on a terminal). Counts are integers.
 */
final class DemoProgress {

  private final ProgressView view;

  DemoProgress(ProgressView view) {
    this.view = view;
  }

  /**
   * @param seconds   since the demo started
   * @param fed       writes Vespa acknowledged
   * @param perSecond writes per second over the last interval
   * @param documents documents in Vespa by type
   * @param expected  documents expected by type
   */
  void show(double seconds, long fed, long perSecond, Map<String, Integer> documents, Map<String, Integer> expected, long deadLetters,
            long retries) {
    long have = 0;
    long want = 0;
    List<String> cells = new ArrayList<>();
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      int count = documents.getOrDefault(e.getKey(), 0);
      have += Math.min(count, e.getValue());
      want += e.getValue();
      cells.add(String.format(" %-14s %,7d/%,-7d", ProgressView.fit(e.getKey(), 14), count, e.getValue())); // 33 columns at a million
    }
    view.show(String.format("[%5.1fs] documents %,d/%,d  writes %,d (%,d/s)  dead letters %,d  retries %,d", seconds, have, want, fed,
        perSecond, deadLetters, retries), cells, List.of());
  }

  /** Ends the redrawing: what prints next goes below the table. */
  void done() {
    view.done();
  }
}
