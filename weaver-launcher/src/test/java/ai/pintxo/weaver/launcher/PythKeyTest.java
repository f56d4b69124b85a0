package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.AdminControlTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weaver whose Hermes requires a Pyth API key (as Hermes does since Pyth's 2026 upgrade): the pipeline
 * without a key stops its unit with one line naming the variable to set, shown by {@code /pipelines} and
 * {@code /ready}; the pipeline given the key through the environment streams prices.
 */
class PythKeyTest {

  static final String KEY = "pyth-k3y-for-tests";

  @TempDir
  Path dir;

  @Test
  void withoutTheKeyTheUnitIsStoppedNamingItAndWithTheKeyFromTheEnvironmentPricesFlow() throws Exception {
    assumeThat(System.getenv("PYTH_API_KEY")).as("the no-key pipeline reads PYTH_API_KEY from this process").isNull();
    Vertx emulators = Vertx.vertx();
    try {
      List<HermesFeed> feeds = HermesEmulator.generatedFeeds(3);
      HermesEmulator hermes = Await.result(HermesEmulator.start(emulators, feeds, 200, 0)).requireToken(KEY);
      JsonArray feedList = new JsonArray();
      feeds.forEach(f -> feedList.add(new JsonObject().put("id", f.id()).put("symbol", f.symbol())));
      JsonObject config = new JsonObject().put("endpoint", hermes.endpoint()).put("feeds", feedList).put("conflationInterval", "0");
      Files.writeString(dir.resolve("deployment.json"), """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}}, "admin": {"port": 0, "watch": "0"},
           "verticles": [{"name": "pyth", "verticle": "PythVerticle", "config": %s},
                         {"name": "pyth-keyed", "verticle": "PythVerticle", "config": %s}]}""".formatted(config.encode(), config.encode()));
      // The key written into the file is refused at start, naming the key and the variable to set instead.
      Path inFile = dir.resolve("key-in-file.json");
      Files.writeString(inFile, """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}},
           "verticles": [{"name": "pyth-main", "verticle": "PythVerticle", "config": %s}]}""".formatted(config.copy().put("accessToken", KEY).encode()));
      assertThatThrownBy(() -> Deployment.load(inFile, Map.of()))
          .hasMessageContaining("verticles[pyth-main].config.accessToken")
          .hasMessageContaining("set WEAVER_VERTICLES__PYTH_MAIN__CONFIG__ACCESS_TOKEN")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
      // The documented override: the key from the environment into the pipeline's accessToken, never in the file.
      Map<String, String> env = Map.of("WEAVER_VERTICLES__PYTH_KEYED__CONFIG__ACCESS_TOKEN", KEY);
      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(Deployment.load(dir.resolve("deployment.json"), env), env);
        String admin = "http://127.0.0.1:" + runtime.admin().port();
        String expected = "no Pyth API key: set PYTH_API_KEY (Hermes at 127.0.0.1:" + java.net.URI.create(hermes.endpoint()).getPort()
            + " answered 401)";
        Await.until("/ready 503 naming the unit and the key", Duration.ofSeconds(30),
            () -> send(admin + "/ready", "GET", null, null).statusCode() == 503
                && send(admin + "/ready", "GET", null, null).body().contains("pyth/feeds-0: stopped: " + expected),
            () -> send(admin + "/ready", "GET", null, null).body());
        JsonObject unit = new JsonObject(send(admin + "/pipelines/pyth", "GET", null, null).body()).getJsonArray("owned").getJsonObject(0);
        assertThat(unit.getString("state")).isEqualTo("stopped");
        assertThat(unit.getString("reason")).isEqualTo(expected);

        Await.until("prices from the keyed pipeline", Duration.ofSeconds(30), () -> produced(runtime) >= 10, () -> produced(runtime) + " prices");
        JsonObject keyed = new JsonObject(send(admin + "/pipelines/pyth-keyed", "GET", null, null).body()).getJsonArray("owned").getJsonObject(0);
        assertThat(keyed.getString("state")).isEqualTo("running");
        String everything = send(admin + "/pipelines", "GET", null, null).body() + send(admin + "/ready", "GET", null, null).body()
            + send(admin + "/pipelines/pyth-keyed/config", "GET", null, null).body();
        assertThat(everything).as("the key is never shown").doesNotContain(KEY);
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  private static double produced(WeaverRuntime runtime) {
    var counter = runtime.registry().find("weaver.records.produced").tag("topic", "pyth-price-topic").counter();
    return counter == null ? 0 : counter.count();
  }
}
