package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

  private static final String HEAD = "[ 12s] polled 1,234,567  produced 1,234,567  fed 2,345,678 (99,999/s)  rejected 0  dead letters 12"
      + "  retries 3";

  private static List<String> cells(int n) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cells.add(String.format("  %-14s %,15d", ProgressView.fit(i == n - 1 ? "a_type_with_a_very_long_name" : "type" + i, 14), 1_000_000L * i));
    }
    return cells;
  }

  @Test
  void onATerminalTheTableIsRedrawnInPlaceWithin100Columns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressView view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    view.show(HEAD, cells(13), List.of("problem: engine-connector/feed-1: circuit open: " + "x".repeat(200)));
    view.show(HEAD.replace("[ 12s]", "[ 13s]"), cells(13), List.of("problem: one"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    // 13 cells, three a row: five rows under the head line, then the note; the second drawing moves up over all seven lines first.
    assertThat(out).contains("\033[7F\033[J");
    String[] lines = out.replace("\033[7F\033[J", "").split("\n");
    assertThat(lines).hasSize(14).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(ProgressView.WIDTH));
    assertThat(lines[0]).as("the head, cut to fit").endsWith("…");
    assertThat(lines[7]).startsWith("[ 13s] polled 1,234,567");
    assertThat(lines[12]).contains("a_type_with_a…").contains("12,000,000");
    assertThat(lines[13]).isEqualTo("problem: one");
  }

  @Test
  void elsewhereOnePlainLineAShow() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressView view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    view.show("[1s] fed 10", cells(13), List.of("problem: one"));
    view.show("[2s] fed 20", cells(13), List.of("problem: one"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\033[").hasLineCount(2);
  }
}
