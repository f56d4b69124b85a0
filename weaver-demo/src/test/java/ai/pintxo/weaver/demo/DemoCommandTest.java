package ai.pintxo.weaver.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import ai.pintxo.weaver.launcher.Command;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The README's main command, small: the demo runs one cycle offline and reports what reached Vespa. */
class DemoCommandTest {

  private static final Path PROJECT = Path.of(System.getProperty("weaver.project.dir", "..")).toAbsolutePath().normalize();

  @Test
  void demoOnceCompletesACycleAndPrintsTheSummary() {
    Path deployment = PROJECT.resolve("conf/deployment.json");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(captured, true));
    int code;
    try {
      code = new DemoCommand().run(java.util.List.of("--once", "--scale", "0.02", "--timeout", "3m", deployment.toString()));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      System.setOut(saved);
    }
    String out = captured.toString();
    System.out.println(out);
    assertThat(code).as("exit code").isZero();
    assertThat(out).contains("Demo complete in");
    // scale 0.02 of the real sizes: 253 tokens, 60 protocols, 8 chains, 2 bridges, 4 stablecoins, 300 pools
    assertThat(out).containsPattern("tokens\\s+253").containsPattern("protocol\\s+60").containsPattern("chain\\s+8")
        .containsPattern("bridge\\s+2").containsPattern("stablecoin\\s+4").containsPattern("pool\\s+300");
    assertThat(out).contains("dead letters: none");
    // The demo's own lines (not the log's, which start with a timestamp) fit 100 columns; counts are integers.
    java.util.List<String> own = out.lines().filter(l -> !l.matches("^(\\d{4}-\\d\\d-\\d\\dT|\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ).*") && !l.startsWith("\tat ")
        && !l.matches("^[a-z][\\w.$]*(Exception|Error)\\b.*")).toList();
    assertThat(own).as("the demo's lines").allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(own).as("no count printed as a float").noneMatch(l -> l.matches(".*\\b\\d+\\.0\\b[,}].*"));
    assertThat(out).as("why writes exceed documents").contains("writes more than documents: updates of documents already written");
    java.util.List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines.get(lines.size() - 1)).as("nothing prints after the summary").startsWith("  Vespa emulator responses by status:");
  }

  @Test
  void theLauncherFindsTheDemoWhenThisModuleIsOnTheClassPath() {
    assertThat(ServiceLoader.load(Command.class).stream().map(ServiceLoader.Provider::type)).contains(DemoCommand.class);
  }
}
