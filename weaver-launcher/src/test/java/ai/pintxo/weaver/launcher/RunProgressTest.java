package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code weaver run}'s table on a terminal: the registry's totals as integers, documents by type, the problems, within 100 columns. */
class RunProgressTest {

  @Test
  void onATerminalTheTotalsTypesAndProblemsAreRedrawnInPlace() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Counter.builder("weaver.records.polled").tag("data_type", "chains").register(registry).increment(1_234_567);
    Counter.builder("weaver.records.produced").tag("topic", "chains-api-topic").register(registry).increment(1_234_000);
    Counter chains = fed(registry, "chain");
    chains.increment(1_000);
    fed(registry, "protocol").increment(20);
    fed(registry, "a_type_with_a_very_long_name").increment(3);
    Counter.builder("weaver.dead.letters").tag("topic", "chains-api-topic").tag("stage", "feed").register(registry).increment(4);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      problems.add("engine-connector/feed-" + i + ": circuit open: Vespa at http://127.0.0.1:8080 keeps failing " + "(connection refused) ".repeat(5));
    }
    AtomicLong nanos = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunProgress progress = new RunProgress(registry, () -> problems, new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true),
        nanos::get);

    nanos.addAndGet(1_000_000_000L);
    progress.show();
    chains.increment(500);
    nanos.addAndGet(1_000_000_000L);
    progress.show();

    String out = bytes.toString(StandardCharsets.UTF_8);
    // Head, one row of three types, the other totals, five problems and the "more" line: 9 lines, redrawn from the top the second time.
    assertThat(out).contains("\033[9F\033[J");
    String[] lines = out.replace("\033[9F\033[J", "").split("\n");
    assertThat(lines).hasSize(18).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(ProgressView.WIDTH));
    assertThat(lines[9]).isEqualTo("[   2s] polled 1,234,567  produced 1,234,000  fed 1,523 (500/s)");
    assertThat(lines[10]).contains("a_type_with_a…").contains("chain").contains("1,500").contains("protocol").contains("20");
    assertThat(lines[11]).startsWith("rejected 0  dead letters 4  Vespa retries 0");
    assertThat(lines[12]).startsWith("problem: engine-connector/feed-0: circuit open");
    assertThat(lines[17]).isEqualTo("… 2 more problems: see /ready");
    assertThat(out).as("counts are integers").doesNotContain(".0 ").doesNotContain(".0)");
  }

  @Test
  void elapsedTimeStaysShort() {
    assertThat(RunProgress.elapsed(7)).isEqualTo("   7s");
    assertThat(RunProgress.elapsed(725)).isEqualTo("12m05s");
    assertThat(RunProgress.elapsed(11_220)).isEqualTo("3h07m");
  }

  private static Counter fed(MeterRegistry registry, String documentType) {
    return Counter.builder("weaver.documents.fed").tag("topic", documentType + "-topic").tag("document_type", documentType)
        .tag("result", "ok").register(registry);
  }
}
