package ai.pintxo.weaver.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.launcher.ProgressView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoProgressTest {

  private static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

  static {
    for (String type : new String[] {"bridge", "chain", "daily_fees", "daily_revenue", "dex_volume", "metric", "new_pool", "pool",
        "price", "protocol", "stablecoin", "tokens", "a_type_with_a_very_long_name"}) {
      EXPECTED.put(type, 1_000_000);
    }
  }

  @Test
  void onATerminalTheTableIsRedrawnInPlaceWithin100Columns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoProgress progress = new DemoProgress(new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true));
    progress.show(1.0, 1_234_567, 98_765, Map.of("price", 311), EXPECTED, 12, 3);
    progress.show(2.0, 2_345_678, 99_999, Map.of("price", 999_999), EXPECTED, 12, 3);
    String out = bytes.toString(StandardCharsets.UTF_8);
    // 13 types, three a row: five rows under the head line; the second drawing moves up over all six lines first.
    assertThat(out).contains("\033[6F\033[J");
    String[] lines = out.replace("\033[6F\033[J", "").split("\n");
    assertThat(lines).hasSize(12).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(ProgressView.WIDTH));
    assertThat(lines[6]).startsWith("[  2.0s] documents 999,999/13,000,000  writes 2,345,678 (99,999/s)");
    assertThat(lines[9]).contains(" price          999,999/1,000,000");
    assertThat(lines[11]).contains("a_type_with_a…");
  }

  @Test
  void elsewhereOnePlainLineAShow() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoProgress progress = new DemoProgress(new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false));
    progress.show(1.0, 10, 10, Map.of(), EXPECTED, 0, 0);
    progress.show(2.0, 20, 10, Map.of(), EXPECTED, 0, 0);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\033[").hasLineCount(2);
  }
}
