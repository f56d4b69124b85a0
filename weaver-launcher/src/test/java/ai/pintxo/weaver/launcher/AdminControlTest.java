package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API on a running weaver with two API pollers polling every 200 ms: the token, a
 * rejected and an applied {@code PUT /pipelines/<name>/config}, a restart, edits of the watched
 * deployment file, and {@code weaver status}; the other pipeline keeps polling throughout.
 */
class AdminControlTest {

  static final String TOKEN = "t0k3n-for-tests";
  static final Map<String, String> ENV = Map.of("WEAVER_ADMIN__TOKEN", TOKEN);

  @TempDir
  Path dir;

  Vertx emulators;
  ApiEmulator api;

  @BeforeEach
  void emulator() {
    emulators = Vertx.vertx();
    api = Await.result(ApiEmulator.start(emulators, ApiPayloads.scaled(3, 0.002), 0));
  }

  @AfterEach
  void close() {
    Await.result(emulators.close());
  }

  @Test
  void anAdminEndpointOffLoopbackWithoutATokenDoesNotStart() throws Exception {
    Files.writeString(dir.resolve("deployment.json"), deployment("0.0.0.0", "protocols", "chains"));
    assertThatThrownBy(() -> Deployment.load(dir.resolve("deployment.json"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.token").hasMessageContaining("loopback");
    assertThat(Deployment.load(dir.resolve("deployment.json"), ENV).adminToken()).as("the token from the environment").isEqualTo(TOKEN);
  }

  @Test
  void pipelinesAreReconfiguredRestartedAndWatchedOneAtATime() throws Exception {
    Path file = dir.resolve("deployment.json");
    Files.writeString(file, deployment("127.0.0.1", "chains", "protocols"));
    try (WeaverRuntime runtime = new WeaverRuntime()) {
      runtime.start(Deployment.load(file, ENV), ENV);
      String admin = "http://127.0.0.1:" + runtime.admin().port();
      risesBy("chains", 2);
      risesBy("protocols", 2);

      // The token guards control, not the probes and the scrape.
      assertThat(send(admin + "/pipelines", "GET", null, null).statusCode()).isEqualTo(401);
      assertThat(send(admin + "/pipelines", "GET", null, "wrong").statusCode()).isEqualTo(401);
      assertThat(send(admin + "/admin/poll/chains", "POST", null, null).statusCode()).isEqualTo(401);
      for (String open : List.of("/health", "/ready", "/metrics")) {
        assertThat(send(admin + open, "GET", null, null).statusCode()).as(open).isEqualTo(200);
      }
      HttpResponse<String> list = send(admin + "/pipelines", "GET", null, TOKEN);
      assertThat(list.statusCode()).isEqualTo(200);
      JsonArray pipelines = new JsonArray(list.body());
      assertThat(pipelines.stream().map(p -> ((JsonObject) p).getString("name"))).containsExactly("poller-a", "poller-b");
      assertThat(pipelines.getJsonObject(0).getString("type")).isEqualTo("ApiPollerVerticle");
      assertThat(pipelines.getJsonObject(0).getBoolean("deployed")).isTrue();
      assertThat(send(admin + "/pipelines/nope", "GET", null, TOKEN)).satisfies(r -> {
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("nope");
      });

      // A bad value is refused with its key, and the old config keeps polling.
      HttpResponse<String> refused = send(admin + "/pipelines/poller-a/config", "PUT",
          config(endpoint("chains", "soon")), TOKEN);
      assertThat(refused.statusCode()).isEqualTo(400);
      JsonObject error = new JsonObject(refused.body()).getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("key")).isEqualTo("verticles[poller-a].config.endpoints[0].interval");
      assertThat(error.getString("message")).isNotBlank();
      risesBy("chains", 3);
      assertThat(endpointsOf(admin, "poller-a")).containsExactly("chains");

      // A valid one replaces poller-a alone: bridges start, poller-b never stops.
      long protocolsBefore = api.requests("protocols");
      long startNanos = System.nanoTime();
      HttpResponse<String> applied = send(admin + "/pipelines/poller-a/config", "PUT",
          config(endpoint("chains", "200ms"), endpoint("bridges", "200ms")), TOKEN);
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      Await.until("bridges polled by the new config", Duration.ofSeconds(10), () -> api.requests("bridges") >= 2,
          () -> api.requests("bridges"));
      assertThat(endpointsOf(admin, "poller-a")).containsExactly("chains", "bridges");
      risesBy("protocols", 2);
      assertThat(api.requests("protocols")).as("poller-b polled on").isGreaterThan(protocolsBefore + 2);
      assertThat(longestGapMillis("protocols", startNanos)).as("poller-b's longest pause between polls while poller-a was replaced")
          .isLessThan(2_000);

      // Restart: undeployed and deployed again, polling on.
      HttpResponse<String> restarted = send(admin + "/pipelines/poller-a/restart", "POST", null, TOKEN);
      assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(200);
      risesBy("bridges", 2);
      assertThat(send(admin + "/pipelines/poller-a/restart", "GET", null, TOKEN).statusCode()).isEqualTo(405);

      // A config that validates but does not start (Kafka refuses the state topic's name, which validation does not check):
      // the old config is deployed again.
      HttpResponse<String> failed = send(admin + "/pipelines/poller-a/config", "PUT",
          config(endpoint("chains", "200ms")).put("changeOnly", true).put("stateTopic", "no spaces allowed"), TOKEN);
      assertThat(failed.statusCode()).as(failed.body()).isEqualTo(409);
      assertThat(new JsonObject(failed.body()).getBoolean("restored")).isTrue();
      assertThat(endpointsOf(admin, "poller-a")).containsExactly("chains", "bridges");
      risesBy("bridges", 2);

      // The watched file: poller-b gains stablecoins within a few scan periods (500 ms); poller-a, untouched in the file, keeps its PUT config.
      long editedAt = System.nanoTime();
      Files.writeString(file, deployment("127.0.0.1", "chains", "protocols\", \"stablecoins"));
      Await.until("stablecoins polled after the file was edited", Duration.ofSeconds(10), () -> api.requests("stablecoins") >= 1,
          () -> api.requests("stablecoins"));
      long appliedMillis = (System.nanoTime() - editedAt) / 1_000_000;
      assertThat(endpointsOf(admin, "poller-b")).containsExactly("protocols", "stablecoins");
      assertThat(endpointsOf(admin, "poller-a")).containsExactly("chains", "bridges");
      Await.until("the edit counted as applied", Duration.ofSeconds(10), () -> changes(runtime, "applied") == 1, () -> changes(runtime, "applied"));

      // An invalid edit changes nothing.
      Files.writeString(file, deployment("127.0.0.1", "chains", "protocols\", \"stablecoins").replace("\"200ms\"", "\"often\""));
      Await.until("the invalid edit rejected", Duration.ofSeconds(10), () -> changes(runtime, "rejected") == 1,
          () -> changes(runtime, "rejected"));
      assertThat(endpointsOf(admin, "poller-b")).containsExactly("protocols", "stablecoins");
      risesBy("stablecoins", 2);

      // An entry added to the file is deployed, and undeployed when it leaves the file; the others stay.
      String withoutC = deployment("127.0.0.1", "chains", "protocols\", \"stablecoins");
      int end = withoutC.lastIndexOf("]}");
      Files.writeString(file, withoutC.substring(0, end) + ",\n{\"name\": \"poller-c\", \"verticle\": \"ApiPollerVerticle\", \"config\": "
          + fileConfig("volumes") + "}" + withoutC.substring(end));
      Await.until("poller-c deployed from the file", Duration.ofSeconds(10), () -> api.requests("volumes") >= 2, () -> api.requests("volumes"));
      assertThat(new JsonArray(send(admin + "/pipelines", "GET", null, TOKEN).body()).stream().map(p -> ((JsonObject) p).getString("name")))
          .containsExactly("poller-a", "poller-b", "poller-c");
      Files.writeString(file, withoutC);
      Await.until("poller-c undeployed", Duration.ofSeconds(10), () -> send(admin + "/pipelines/poller-c", "GET", null, TOKEN).statusCode() == 404,
          () -> send(admin + "/pipelines/poller-c", "GET", null, TOKEN).body());
      assertThat(changes(runtime, "applied")).isEqualTo(3);
      assertThat(endpointsOf(admin, "poller-a")).containsExactly("chains", "bridges");
      risesBy("protocols", 2);

      // weaver status: the table, exit 0 when ready, 2 when it cannot ask.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      StatusCommand status = new StatusCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
      Await.until("ready", Duration.ofSeconds(30), () -> send(admin + "/ready", "GET", null, null).statusCode() == 200,
          () -> send(admin + "/ready", "GET", null, null).body());
      int code = status.run(List.of("--admin", admin, "--token", TOKEN));
      String table = out.toString(StandardCharsets.UTF_8);
      System.out.printf("file edit applied in %d ms; weaver status:%n%s", appliedMillis, table);
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(table.lines().findFirst().orElseThrow()).startsWith("PIPELINE").contains("TYPE", "UNIT", "STATE", "OWNER", "LAST EVENT", "LAG");
      assertThat(table).contains("poller-a", "poller-b", "ApiPollerVerticle").contains("\nready\n");
      assertThat(status.run(List.of("--admin", admin))).as("no token").isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("requires a token");
      assertThat(status.run(List.of("--admin", "http://127.0.0.1:" + freePort()))).as("nobody there").isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach");
    }
  }

  @Test
  void aUnitThatCannotPollMakesTheProcessNotReadyButAlive() throws Exception {
    int nobody = freePort();
    Files.writeString(dir.resolve("deployment.json"), """
        {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}}, "admin": {"port": 0, "watch": "0"},
         "verticles": [{"name": "unlucky", "verticle": "ApiPollerVerticle", "config": %s}]}"""
        .formatted(config(new JsonObject().put("endpoint", "http://127.0.0.1:" + nobody + "/api.llama.fi/v2/chains")
            .put("dataType", "chains").put("interval", "200ms")).put("retries", 0).encode()));
    try (WeaverRuntime runtime = new WeaverRuntime()) {
      runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()), Map.of());
      String admin = "http://127.0.0.1:" + runtime.admin().port();
      Await.until("the unit's failure reported", Duration.ofSeconds(30), () -> send(admin + "/ready", "GET", null, null).statusCode() == 503
          && send(admin + "/ready", "GET", null, null).body().contains("unlucky/"), () -> send(admin + "/ready", "GET", null, null).body());
      HttpResponse<String> health = send(admin + "/health", "GET", null, null);
      assertThat(health.statusCode()).as("liveness holds").isEqualTo(200);
      JsonObject body = new JsonObject(health.body());
      assertThat(body.getString("status")).isEqualTo("DEGRADED");
      assertThat(body.getJsonArray("problems").encode()).contains("unlucky/");
      assertThat(body.getJsonObject("pipelines").getJsonObject("unlucky").getInteger("running")).isZero();

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = new StatusCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of()).run(List.of("--admin", admin));
      String table = out.toString(StandardCharsets.UTF_8);
      System.out.print(table);
      assertThat(code).as("not ready").isEqualTo(1);
      assertThat(table).contains("NOT READY").contains("problem: unlucky/").containsPattern("unlucky +ApiPollerVerticle +chains ");
    }
  }

  /** A deployment of two pollers: poller-a polls {@code a}, poller-b the data types in {@code b} (raw JSON list items). */
  @Test
  void aSubstreamRefusedForItsKeyIsStoppedWithTheReasonAndTheProcessNotReady() throws Exception {
    SubstreamsEmulator substreams = Await.result(SubstreamsEmulator.start(emulators,
        new SubstreamsEmulatorOptions().setApiKey("right-key").setOutputs(Payloads.seaport(1, 0))));
    Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve("seaport.spkg"));
    Path key = Files.writeString(dir.resolve("key"), "wrong-key");
    JsonObject config = new JsonObject().put("name", "pintxo-seaport").put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy")
        .put("outputModule", "metrics_out").put("endpoint", substreams.endpoint()).put("plaintext", true).put("startBlock", 0)
        .put("stopBlock", 100).put("apiKeyFile", key.toString()).put("cacheDir", dir.resolve("cache").toString());
    Files.writeString(dir.resolve("deployment.json"), """
        {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}}, "admin": {"port": 0, "watch": "0"},
         "verticles": [{"name": "seaport", "verticle": "SubstreamsVerticle", "config": %s}]}""".formatted(config.encode()));
    try (WeaverRuntime runtime = new WeaverRuntime()) {
      runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()), Map.of());
      String admin = "http://127.0.0.1:" + runtime.admin().port();
      Await.until("/ready 503 naming the substream", Duration.ofSeconds(30), () -> send(admin + "/ready", "GET", null, null).statusCode() == 503
          && send(admin + "/ready", "GET", null, null).body().contains("seaport/pintxo-seaport: stopped"),
          () -> send(admin + "/ready", "GET", null, null).body());
      assertThat(send(admin + "/ready", "GET", null, null).body()).contains("UNAUTHENTICATED").doesNotContain("wrong-key");
      JsonObject pipeline = new JsonObject(send(admin + "/pipelines/seaport", "GET", null, null).body());
      JsonObject unit = pipeline.getJsonArray("owned").getJsonObject(0);
      assertThat(unit.getString("state")).isEqualTo("stopped");
      assertThat(unit.getString("reason")).contains("UNAUTHENTICATED").contains("check the API key");
      assertThat(substreams.sessions()).as("one attempt, no retries after a refusal for good").isEqualTo(1);
    }
  }

  private String deployment(String adminHost, String a, String b) {
    return """
        {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}},
         "admin": {"host": "%s", "port": 0, "watch": "500ms"},
         "verticles": [
           {"name": "poller-a", "verticle": "ApiPollerVerticle", "config": %s},
           {"name": "poller-b", "verticle": "ApiPollerVerticle", "config": %s}]}"""
        .formatted(adminHost, config(endpoint(a, "200ms")).encode(), fileConfig(b));
  }

  private String fileConfig(String dataTypes) {
    JsonArray endpoints = new JsonArray();
    for (String dataType : new JsonArray("[\"" + dataTypes + "\"]").stream().map(String::valueOf).toList()) {
      endpoints.add(endpoint(dataType, "200ms"));
    }
    return new JsonObject().put("endpoints", endpoints).put("changeOnly", false)
        .put("defaultRateLimit", new JsonObject().put("requests", 1_000_000)).encode();
  }

  private JsonObject endpoint(String dataType, String interval) {
    String real = ApiEmulator.ROUTES.entrySet().stream().filter(e -> e.getValue().equals(dataType)).findFirst().orElseThrow().getKey();
    return new JsonObject().put("endpoint", api.url("https://" + real)).put("dataType", dataType).put("interval", interval)
        .put("conditional", false);
  }

  private static JsonObject config(JsonObject... endpoints) {
    return new JsonObject().put("endpoints", new JsonArray(List.of((Object[]) endpoints))).put("changeOnly", false)
        .put("defaultRateLimit", new JsonObject().put("requests", 1_000_000));
  }

  private static List<String> endpointsOf(String admin, String pipeline) {
    JsonObject config = new JsonObject(send(admin + "/pipelines/" + pipeline + "/config", "GET", null, TOKEN).body());
    return config.getJsonArray("endpoints").stream().map(e -> ((JsonObject) e).getString("dataType")).toList();
  }

  private void risesBy(String dataType, long n) {
    long from = api.requests(dataType);
    Await.until(dataType + " polled " + n + " more times", Duration.ofSeconds(20), () -> api.requests(dataType) >= from + n,
        () -> api.requests(dataType) + " requests, from " + from);
  }

  private long longestGapMillis(String dataType, long sinceNanos) {
    List<Long> times = api.requestTimes(dataType).stream().filter(t -> t >= sinceNanos).toList();
    long longest = times.isEmpty() ? Long.MAX_VALUE : (times.get(0) - sinceNanos);
    for (int i = 1; i < times.size(); i++) {
      longest = Math.max(longest, times.get(i) - times.get(i - 1));
    }
    return longest / 1_000_000;
  }

  private static double changes(WeaverRuntime runtime, String result) {
    var counter = runtime.registry().find("weaver.deployment.changes").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<String> send(String url, String method, JsonObject body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + url + ": " + e, e);
    }
  }
}
