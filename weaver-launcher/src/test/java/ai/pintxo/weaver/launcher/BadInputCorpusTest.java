package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input}, index {@code cases.json}): each case's
 * input and the outcome it must have. {@code refused}: the deployment does not load, with one line
 * naming the offending key and the reason. {@code dead-letter}, {@code counted} and {@code retried}:
 * input a running weaver receives (see {@link CorpusWeaver}); it lands in the dead-letter topic or is
 * counted or retried, and the weaver keeps working. {@code answered}: a request to the HTTP ingest source,
 * answered with the case's status and reason, nothing produced unless accepted, no ERROR line.
 */
class BadInputCorpusTest {

  static final Path CORPUS = corpus();

  @TempDir
  Path dir;

  static Stream<Arguments> cases() throws IOException {
    JsonArray index = new JsonArray(Files.readString(CORPUS.resolve("cases.json")));
    return index.stream().map(JsonObject.class::cast).map(c -> Arguments.of(Named.of(c.getString("id"), c)));
  }

  @AfterAll
  static void stopWeaver() {
    CorpusWeaver.closeShared();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachCaseHasItsExpectedOutcome(JsonObject c) throws Exception {
    switch (c.getString("expect")) {
      case "refused" -> assertRefused(c);
      case "accepted" -> assertThat(Deployment.load(prepare(c), env(c)).verticles()).as("case %s loads", c.getString("id")).isNotEmpty();
      case "run-refused" -> assertRunRefused(c);
      case "clean-shutdown" -> CorpusWeaver.checkShutdownDuringSlowResponse(c);
      case "dead-letter", "counted", "retried", "reconnected", "answered" -> CorpusWeaver.shared().check(c, CORPUS);
      default -> throw new IllegalArgumentException("unknown expect '" + c.getString("expect") + "' in case " + c.getString("id"));
    }
  }

  private void assertRefused(JsonObject c) throws IOException {
    Path deployment = prepare(c);
    Map<String, String> env = env(c);
    Throwable thrown = catchThrowable(() -> Deployment.load(deployment, env));
    assertThat(thrown).as("case %s: the start is refused", c.getString("id")).isInstanceOf(ConfigException.class);
    String message = thrown.getMessage();
    assertThat(message).as("one line").doesNotContain("\n");
    assertThat(((ConfigException) thrown).key()).as("the offending key").contains(c.getString("key"));
    assertThat(message).as("the reason").contains(c.getString("reason"));
  }

  /**
   * {@code weaver run} on a deployment whose port (the dotted key {@code occupy}) another socket holds: exit
   * code 1 and one line naming the key and the port, before any broker starts.
   */
  private void assertRunRefused(JsonObject c) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JsonObject root = new JsonObject(Files.readString(CORPUS.resolve(c.getString("deployment"))));
      String[] path = c.getString("occupy").split("\\.");
      JsonObject parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent.getJsonObject(path[i]);
      }
      parent.put(path[path.length - 1], taken.getLocalPort());
      Path deployment = dir.resolve("deployment.json");
      Files.writeString(deployment, root.encodePrettily());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream saved = System.err;
      int code;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        code = Weaver.execute(new String[] {"run", deployment.toString()});
      } finally {
        System.setErr(saved);
      }
      String printed = err.toString(StandardCharsets.UTF_8).trim();
      assertThat(code).as("%s: weaver run fails; printed %s", c.getString("id"), printed).isEqualTo(1);
      assertThat(printed).as("one line").doesNotContain("\n")
          .contains(c.getString("key"), Integer.toString(taken.getLocalPort()), c.getString("reason"));
      assertThat(dir.resolve("kafka-data")).as("no broker was started").doesNotExist();
    }
  }

  /** @return the case's deployment, copied with the files it refers to into the temporary directory */
  private Path prepare(JsonObject c) throws IOException {
    Path deployment = dir.resolve("deployment.json");
    Files.copy(CORPUS.resolve(c.getString("deployment")), deployment);
    for (Map.Entry<String, Object> f : c.getJsonObject("files", new JsonObject())) {
      String from = (String) f.getValue();
      if (from.equals("@seaport")) {
        TestPackages.write(TestPackages.seaport(), dir.resolve(f.getKey()));
      } else {
        Files.copy(CORPUS.resolve(from), dir.resolve(f.getKey()));
      }
    }
    return deployment;
  }

  private static Map<String, String> env(JsonObject c) {
    Map<String, String> env = new LinkedHashMap<>();
    c.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), (String) e.getValue()));
    return env;
  }

  private static Path corpus() {
    try {
      return Path.of(BadInputCorpusTest.class.getResource("/bad-input/cases.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
