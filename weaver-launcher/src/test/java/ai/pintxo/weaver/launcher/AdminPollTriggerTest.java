package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /admin/poll/<dataType>} on a running weaver makes the API poller poll now. */
class AdminPollTriggerTest {

  @TempDir
  Path dir;

  @Test
  void postingToTheAdminEndpointPollsTheDataTypeNow() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(3, Map.of("chains", 15)), 0));
      Files.writeString(dir.resolve("endpoints.json"), """
          [{"endpoint": "%s", "dataType": "chains", "interval": "1h", "conditional": false}]"""
          .formatted(api.url("https://api.llama.fi/v2/chains")));
      Files.writeString(dir.resolve("deployment.json"), """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}},
           "admin": {"port": 0},
           "verticles": [{"name": "api-poller", "verticle": "ApiPollerVerticle",
                          "config": {"endpointsFile": "endpoints.json", "changeOnly": false}}]}""");
      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()));
        KafkaProbe probe = new KafkaProbe(runtime.deployment().kafka().getBootstrapServers());
        Await.until("the poll at start", Duration.ofSeconds(60), () -> probe.count("chains-api-topic") == 15, () -> probe.count("chains-api-topic"));
        assertThat(api.requests("chains")).isEqualTo(1);
        String admin = "http://127.0.0.1:" + runtime.admin().port();

        HttpResponse<String> triggered = send(HttpRequest.newBuilder(URI.create(admin + "/admin/poll/chains"))
            .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(triggered.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(triggered.body()).getInteger("endpoints")).isEqualTo(1);
        Await.until("the triggered poll", Duration.ofSeconds(60), () -> probe.count("chains-api-topic") == 30, () -> probe.count("chains-api-topic"));
        assertThat(api.requests("chains")).isEqualTo(2);

        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/admin/poll/weather")).POST(HttpRequest.BodyPublishers.noBody()).build())
            .statusCode()).as("unknown data type").isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/admin/poll/chains")).GET().build()).statusCode())
            .as("a GET does not trigger").isEqualTo(405);
        assertThat(api.requests("chains")).isEqualTo(2);
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
