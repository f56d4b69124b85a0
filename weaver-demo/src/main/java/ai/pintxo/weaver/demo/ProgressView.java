package ai.pintxo.weaver.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's progress within 100 columns. On a terminal, a small table redrawn in place (documents
 * per type against what is expected, three types a row); elsewhere (a pipe, a file, CI), one plain
 * line a second with the totals. Counts are integers.
 */
final class ProgressView {

  static final int WIDTH = 100;
  private static final int COLUMNS = 3;

  private final PrintStream out;
  private final boolean terminal;
  private int drawn;

  /** @param terminal whether stdout is a terminal that understands ANSI cursor movement */
  ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
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
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      have += Math.min(documents.getOrDefault(e.getKey(), 0), e.getValue());
      want += e.getValue();
    }
    String head = String.format("[%5.1fs] documents %,d/%,d  writes %,d (%,d/s)  dead letters %,d  retries %,d", seconds, have, want, fed,
        perSecond, deadLetters, retries);
    List<String> lines = new ArrayList<>();
    lines.add(fit(head));
    if (terminal) {
      StringBuilder row = new StringBuilder();
      int column = 0;
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        row.append(String.format("  %-14s %,7d/%,-7d", fit(e.getKey(), 14), documents.getOrDefault(e.getKey(), 0), e.getValue()));
        if (++column == COLUMNS) {
          lines.add(fit(row.toString()));
          row.setLength(0);
          column = 0;
        }
      }
      if (row.length() > 0) {
        lines.add(fit(row.toString()));
      }
      if (drawn > 0) {
        out.print("\033[" + drawn + "F\033[J"); // back to the table's first line, clear below: redrawn in place
      }
      drawn = lines.size();
    }
    lines.forEach(out::println);
  }

  /** Ends the redrawing: what prints next goes below the table. */
  void done() {
    drawn = 0;
  }

  private static String fit(String line) {
    return fit(line, WIDTH);
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
