package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment file run by the launcher's runtime: embedded broker in a local directory, two
 * connector instances, the admin endpoint; then a restart on the same directory.
 */
class WeaverRuntimeTest {

  @TempDir
  Path dir;

  @Test
  void runsADeploymentServesAdminEndpointsAndKeepsKafkaDataAcrossRestarts() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiPayloads payloads = new ApiPayloads(1, Map.of("chains", 40, "bridges", 12));
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, payloads, 0));
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      Files.writeString(dir.resolve("endpoints.json"), """
          [{"endpoint": "%s", "dataType": "chains"}, {"endpoint": "%s", "dataType": "bridges"}]"""
          .formatted(api.url("https://api.llama.fi/v2/chains"), api.url("https://bridges.llama.fi/bridges")));
      Files.writeString(dir.resolve("deployment.json"), """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}},
           "admin": {"port": 0},
           "verticles": [
             {"name": "api-poller", "verticle": "ApiPollerVerticle", "config": {"endpointsFile": "endpoints.json"}},
             {"name": "engine-connector", "verticle": "EngineConnectorVerticle", "instances": 2,
              "config": {"topics": ["chains-api-topic", "bridges-api-topic"], "vespa": {"endpoint": "%s"}}}]}"""
          .formatted(vespa.endpoint()));
      Deployment deployment = Deployment.load(dir.resolve("deployment.json"), Map.of());

      String bootstrap;
      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(deployment);
        bootstrap = runtime.deployment().kafka().getBootstrapServers();
        Await.until("chains and bridges in Vespa", Duration.ofSeconds(60),
            () -> vespa.count("chain") == 40 && vespa.count("bridge") == 12, vespa::counts);
        String admin = "http://127.0.0.1:" + runtime.admin().port();
        assertThat(get(admin + "/health").body()).contains("\"status\":\"UP\"");
        HttpResponse<String> ready = get(admin + "/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getInteger("deployed")).isEqualTo(2);
        Await.until("connector committed", Duration.ofSeconds(30), () -> new KafkaProbe(runtime.deployment().kafka().getBootstrapServers())
            .lag("pintxo-engine-connector", List.of("chains-api-topic", "bridges-api-topic")) == 0, () -> "lag");
        String metrics = get(admin + "/metrics").body();
        assertThat(metrics).contains("weaver_records_polled_total{data_type=\"chains\"} 40.0");
        assertThat(metrics).contains("weaver_records_produced_total{topic=\"bridges-api-topic\"} 12.0");
        assertThat(metrics).contains("weaver_documents_fed_total{document_type=\"chain\",result=\"ok\",topic=\"chains-api-topic\"} 40.0");
        assertThat(metrics).as("counters are visible at zero")
            .contains("weaver_feed_retries_total{status=\"429\"} 0.0")
            .contains("weaver_dead_letters_total{stage=\"feed\",topic=\"chains-api-topic\"} 0.0")
            .contains("weaver_dead_letters_total{stage=\"poll\",topic=\"bridges-api-topic\"} 0.0")
            .contains("weaver_poll_cycles_total{data_type=\"bridges\",result=\"ok\"} 1.0");
        assertThat(get(admin + "/nope").statusCode()).isEqualTo(404);
      }
      assertThat(Files.exists(dir.resolve("kafka-data/meta.properties"))).as("the broker's data is in the configured directory").isTrue();

      try (WeaverRuntime restarted = new WeaverRuntime()) {
        restarted.start(deployment.withVerticleConfigs((spec, config) -> config).withAdminPort(0));
        KafkaProbe probe = new KafkaProbe(restarted.deployment().kafka().getBootstrapServers());
        assertThat(probe.committed("pintxo-engine-connector")).as("committed offsets survived the restart").isNotEmpty();
        // The second poll finds the same 40 chains: change-only feeding, whose state is in Kafka, produces none again.
        Await.until("second poll recognised every chain as unchanged", Duration.ofSeconds(60),
            () -> restarted.registry().find("weaver.records.unchanged").tag("data_type", "chains").counters().stream()
                .mapToDouble(c -> c.count()).sum() == 40, () -> probe.count("chains-api-topic"));
        assertThat(probe.count("chains-api-topic")).isEqualTo(40);
        assertThat(bootstrap).isNotBlank();
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
