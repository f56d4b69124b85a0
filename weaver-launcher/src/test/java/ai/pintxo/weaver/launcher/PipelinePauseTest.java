package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.AdminControlTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /pipelines/<name>/pause} stops that pipeline's polling within a second while another
 * pipeline polls on; the pause is in the control topic, so a new runtime on the same broker starts
 * the pipeline paused; resume starts it again.
 */
class PipelinePauseTest {

  @TempDir
  Path dir;

  @Test
  void aPauseStopsInputWithinASecondAndOutlivesARestart() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, ApiPayloads.scaled(5, 0.002), 0));
      Path file = dir.resolve("deployment.json");
      Files.writeString(file, """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}},
           "admin": {"port": 0},
           "verticles": [
             {"name": "paced", "verticle": "ApiPollerVerticle", "config": %s},
             {"name": "steady", "verticle": "ApiPollerVerticle", "config": %s}]}"""
          .formatted(config(api, "chains", "api.llama.fi/v2/chains"), config(api, "protocols", "api.llama.fi/protocols")));

      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(Deployment.load(file, Map.of()), Map.of());
        String admin = "http://127.0.0.1:" + runtime.admin().port();
        Await.until("chains polled", Duration.ofSeconds(30), () -> api.requests("chains") >= 3, () -> api.requests("chains"));

        HttpResponse<String> paused = send(admin + "/pipelines/paced/pause", "POST",
            new JsonObject().put("reason", "vendor maintenance").put("by", "test"), null);
        long pausedAt = System.nanoTime();
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
        assertThat(new JsonObject(paused.body()).getBoolean("paused")).isTrue();
        JsonObject view = new JsonObject(send(admin + "/pipelines/paced", "GET", null, null).body());
        assertThat(view.getString("paused")).contains("vendor maintenance").contains("test");

        // The other pipeline's polls mark the time: 20 of them at 100 ms are two seconds at least.
        long steadyFrom = api.requests("protocols");
        Await.until("steady polled on", Duration.ofSeconds(30), () -> api.requests("protocols") >= steadyFrom + 20,
            () -> api.requests("protocols"));
        List<Long> late = api.requestTimes("chains").stream().filter(t -> t > pausedAt + 1_000_000_000L).toList();
        assertThat(late).as("chains requests more than 1 s after the pause was acknowledged").isEmpty();
        // Read again: the first view may be taken before the units have stopped (pausing is asynchronous).
        JsonObject settled = new JsonObject(send(admin + "/pipelines/paced", "GET", null, null).body());
        assertThat(settled.getJsonArray("owned").stream().map(u -> ((JsonObject) u).getString("state")).distinct().toList())
            .as("the paused pipeline's units").containsOnly("paused");
      }

      long beforeRestart = api.requests("chains");
      try (WeaverRuntime restarted = new WeaverRuntime()) {
        restarted.start(Deployment.load(file, Map.of()), Map.of());
        String admin = "http://127.0.0.1:" + restarted.admin().port();
        JsonObject view = new JsonObject(send(admin + "/pipelines/paced", "GET", null, null).body());
        assertThat(view.getString("paused")).as("paused from the control topic").contains("vendor maintenance");
        assertThat(view.getJsonObject("control").getString("by")).isEqualTo("test");
        long steadyFrom = api.requests("protocols");
        Await.until("steady polled after the restart", Duration.ofSeconds(30), () -> api.requests("protocols") >= steadyFrom + 20,
            () -> api.requests("protocols"));
        assertThat(api.requests("chains")).as("chains polled by the restarted, paused pipeline").isEqualTo(beforeRestart);

        HttpResponse<String> resumed = send(admin + "/pipelines/paced/resume", "POST", null, null);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
        assertThat(new JsonObject(resumed.body()).getBoolean("paused")).isFalse();
        Await.until("chains polled after resume", Duration.ofSeconds(10), () -> api.requests("chains") >= beforeRestart + 3,
            () -> api.requests("chains"));
        assertThat(new JsonObject(send(admin + "/pipelines/paced", "GET", null, null).body()).getString("paused")).isNull();
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  @Test
  void aPauseMadeInOneProcessAppliesInAnotherWithinASecond() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, ApiPayloads.scaled(5, 0.002), 0));
      String verticles = """
          "verticles": [{"name": "paced", "verticle": "ApiPollerVerticle", "config": %s}]}""".formatted(config(api, "chains", "api.llama.fi/v2/chains"));
      Files.writeString(dir.resolve("a.json"), """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}}, "admin": {"port": 0},
          """ + verticles);
      try (WeaverRuntime a = new WeaverRuntime()) {
        a.start(Deployment.load(dir.resolve("a.json"), Map.of()), Map.of());
        Files.writeString(dir.resolve("b.json"), """
            {"kafka": {"bootstrapServers": "%s"}, "admin": {"port": 0},
            """.formatted(a.deployment().kafka().getBootstrapServers()) + verticles);
        try (WeaverRuntime b = new WeaverRuntime()) {
          b.start(Deployment.load(dir.resolve("b.json"), Map.of()), Map.of());
          assertThat(b.board().pausedReason("paced")).isNull();

          long askedAt = System.nanoTime();
          HttpResponse<String> paused = send("http://127.0.0.1:" + a.admin().port() + "/pipelines/paced/pause", "POST",
              new JsonObject().put("reason", "one for all"), null);
          assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
          Await.until("the pause applied in the other process", Duration.ofSeconds(1), () -> b.board().pausedReason("paced") != null,
              () -> b.board().pausedReason("paced"));
          long tookMillis = (System.nanoTime() - askedAt) / 1_000_000;
          System.out.printf("pause applied in the other process %d ms after it was asked for%n", tookMillis);
          assertThat(tookMillis).as("from the request to the other process's board").isLessThan(1_000);
          assertThat(b.board().pausedReason("paced")).contains("one for all");

          assertThat(send("http://127.0.0.1:" + b.admin().port() + "/pipelines/paced/resume", "POST", null, null).statusCode()).isEqualTo(202);
          Await.until("the resume applied in the first process", Duration.ofSeconds(1), () -> a.board().pausedReason("paced") == null,
              () -> a.board().pausedReason("paced"));
        }
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  private static String config(ApiEmulator api, String dataType, String real) {
    return new JsonObject().put("changeOnly", false).put("defaultRateLimit", new JsonObject().put("requests", 1_000_000))
        .put("endpoints", new io.vertx.core.json.JsonArray().add(new JsonObject().put("endpoint", api.url("https://" + real))
            .put("dataType", dataType).put("interval", "100ms").put("conditional", false)))
        .encode();
  }
}
