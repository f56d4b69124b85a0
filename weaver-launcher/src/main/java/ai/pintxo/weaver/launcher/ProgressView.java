package ai.pintxo.weaver.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress within 100 columns, for {@code weaver run} and the demo. On a terminal, a small table
 * redrawn in place: a head line with the totals, cells three a row, then notes (problems); elsewhere
 * (a pipe, a file, CI), the head line alone, one a show. The callers format the counts as integers.
 * Used from one thread.
 */
public final class ProgressView {

  public static final int WIDTH = 100;
  private static final int COLUMNS = 3;
  /** A cell's width: three side by side fit the width. */
  public static final int CELL = WIDTH / COLUMNS;

  private final PrintStream out;
  private final boolean terminal;
  private int drawn;

  /** @param terminal whether {@code out} is a terminal that understands ANSI cursor movement */
  public ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** @return whether stdout is a terminal that can redraw in place (not a pipe, not {@code TERM=dumb}) */
  public static boolean stdoutIsTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !"dumb".equals(term);
  }

  /** @return whether this view redraws a table in place */
  public boolean terminal() {
    return terminal;
  }

  /**
   * @param head  the totals, one line
   * @param cells the table's cells (terminal only), each cut to {@link #CELL} columns
   * @param notes lines under the table (terminal only), each cut to the width
   */
  public void show(String head, List<String> cells, List<String> notes) {
    List<String> lines = new ArrayList<>();
    lines.add(fit(head, WIDTH));
    if (terminal) {
      StringBuilder row = new StringBuilder();
      int column = 0;
      for (String cell : cells) {
        row.append(String.format("%-" + CELL + "s", fit(cell, CELL)));
        if (++column == COLUMNS) {
          lines.add(fit(row.toString().stripTrailing(), WIDTH));
          row.setLength(0);
          column = 0;
        }
      }
      if (row.length() > 0) {
        lines.add(fit(row.toString().stripTrailing(), WIDTH));
      }
      notes.forEach(note -> lines.add(fit(note, WIDTH)));
      if (drawn > 0) {
        out.print("\033[" + drawn + "F\033[J"); // back to the table's first line, clear below: redrawn in place
      }
      drawn = lines.size();
    }
    lines.forEach(out::println);
  }

  /** Ends the redrawing: what prints next goes below the table. */
  public void done() {
    drawn = 0;
  }

  /** @return the text, cut with an ellipsis when longer than {@code width} */
  public static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
