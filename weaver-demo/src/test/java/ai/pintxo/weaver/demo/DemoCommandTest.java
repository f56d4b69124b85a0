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
  }

  @Test
  void theLauncherFindsTheDemoWhenThisModuleIsOnTheClassPath() {
    assertThat(ServiceLoader.load(Command.class).stream().map(ServiceLoader.Provider::type)).contains(DemoCommand.class);
  }
}
