package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real path of an override: a {@code weaver config} process whose environment holds
 * {@code WEAVER_*} variables, read by vertx-config's env store, applied by the rule, and checked
 * by the option declarations (the same error as from the file).
 */
class ProcessEnvironmentTest {

  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void processEnvironmentOverridesTheFile() throws Exception {
    Result ok = weaverConfig("WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT", "http://vespa-from-env:8080/");
    assertThat(ok.exit).as(ok.err).isZero();
    assertThat(ok.out).contains("\"endpoint\" : \"http://vespa-from-env:8080\"");
    assertThat(ok.err).contains("overridden from the environment: WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT");
  }

  @Test
  void aBadValueFromTheEnvironmentGetsTheFilesError() throws Exception {
    Result bad = weaverConfig("WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__MAX_INFLIGHT", "0");
    assertThat(bad.exit).isNotZero();
    assertThat(bad.err).contains("verticles[engine-connector].config.vespa.maxInflight: must be within [1, 65536], was 0");
  }

  private record Result(int exit, String out, String err) {
  }

  private static Result weaverConfig(String variable, String value) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), Weaver.class.getName(), "config", PROJECT.resolve("conf/deployment.json").toString());
    builder.environment().put(variable, value);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
