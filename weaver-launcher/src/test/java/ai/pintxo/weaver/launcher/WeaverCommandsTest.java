package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The production launcher alone (no demo module on the class path, as in weaver-all.jar). */
class WeaverCommandsTest {

  @Test
  void demoWithoutItsModuleIsOneLinePointingToTheDemoJar() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Weaver.execute(new String[] {"demo", "--once"});
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(Weaver.DEMO_ELSEWHERE + System.lineSeparator())
        .contains("bin/weaver demo").contains("weaver-demo.jar");
  }
}
