package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import ai.pintxo.weaver.testkit.vespa.VespaSchemas;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST source defined in the deployment file only: an endpoint declaring its fields (JSON pointer →
 * type, id field, document type), no record, handler or processor class, and a connector that lists
 * no topics. The records reach Vespa with every field of every type right, and the connector's topics
 * are the source's.
 */
class DeclaredRestSourceTest {

  private static final String MARKETS = """
      {"meta": {"count": 2},
       "markets": [
         {"id": "btc-usd", "name": "Bitcoin / USD", "rank": 1, "listed": true, "tags": ["spot", "major"],
          "stats": {"price": 64123.5, "volume": "1234567890.123456789012"}},
         {"id": "eth-usd", "name": "Ether / USD", "rank": 2, "listed": false, "tags": [],
          "stats": {"price": 3120.25, "volume": "0.000000000000000001"}, "ignored": {"deep": 1}}
       ]}""";

  @TempDir
  Path dir;

  @Test
  void aDeclaredEndpointReachesVespaWithEveryFieldAndTheConnectorFollowsIt() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(1, Map.of("tokens", 1)), 0));
      // The emulator serves this body at the CoinGecko route; the endpoint below is a new data type all the same.
      api.answer("tokens", 200, Map.of("Content-Type", "application/json"), MARKETS.getBytes(StandardCharsets.UTF_8));
      // The new document type's schema, as an operator deploys it: the emulator refuses fields it does not declare.
      Files.createDirectories(dir.resolve("app/schemas"));
      Files.writeString(dir.resolve("app/schemas/market.sd"), """
          schema market {
            document market {
              field id type string { indexing: summary | attribute }
              field label type string { indexing: summary | attribute }
              field rank type long { indexing: summary | attribute }
              field price type double { indexing: summary | attribute }
              field volume type string { indexing: summary | attribute }
              field listed type bool { indexing: summary | attribute }
              field tags type array<string> { indexing: summary | attribute }
            }
          }
          """);
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators,
          new VespaEmulatorOptions().setSchemas(VespaSchemas.fromDirectory(dir.resolve("app")))));
      JsonObject endpoint = new JsonObject()
          .put("endpoint", api.url("https://api.coingecko.com/api/v3/coins/list"))
          .put("dataType", "markets")
          .put("recordsAt", "/markets")
          .put("fields", new JsonObject()
              .put("/id", "string")
              .put("/name", new JsonObject().put("name", "label").put("type", "string"))
              .put("/rank", "long")
              .put("/stats/price", new JsonObject().put("name", "price").put("type", "double"))
              .put("/stats/volume", new JsonObject().put("name", "volume").put("type", "decimal"))
              .put("/listed", "boolean")
              .put("/tags", "array<string>"))
          .put("idField", "id")
          .put("documentType", "market")
          .put("interval", "1h");
      JsonObject deploymentJson = new JsonObject()
          .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka-data").put("port", 0)))
          .put("admin", new JsonObject().put("port", 0))
          .put("verticles", new JsonArray()
              .add(new JsonObject().put("name", "api-poller").put("verticle", "ApiPollerVerticle")
                  .put("config", new JsonObject().put("endpoints", new JsonArray().add(endpoint))))
              .add(new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle")
                  .put("config", new JsonObject().put("commitInterval", "200ms")
                      .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())))));
      Files.writeString(dir.resolve("deployment.json"), deploymentJson.encodePrettily());
      Deployment deployment = Deployment.load(dir.resolve("deployment.json"), Map.of());

      JsonObject connector = deployment.verticles().stream().filter(v -> v.name().equals("engine-connector")).findFirst()
          .orElseThrow().config();
      assertThat(connector.getJsonArray("topics").getList()).as("the connector's topics follow from the sources")
          .isEqualTo(List.of("markets-api-topic"));

      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(deployment);
        Await.until("both markets in Vespa", Duration.ofSeconds(60), () -> vespa.count("market") == 2, vespa::counts);
        JsonObject btc = vespa.document("market", "btc-usd").orElseThrow();
        assertThat(btc.getString("id")).isEqualTo("btc-usd");
        assertThat(btc.getString("label")).isEqualTo("Bitcoin / USD");
        assertThat(btc.getValue("rank")).isEqualTo(1);
        assertThat(btc.getDouble("price")).isEqualTo(64123.5);
        assertThat(btc.getString("volume")).as("an exact decimal keeps every digit").isEqualTo("1234567890.123456789012");
        assertThat(btc.getBoolean("listed")).isTrue();
        assertThat(btc.getJsonArray("tags").getList()).isEqualTo(List.of("spot", "major"));
        assertThat(btc.fieldNames()).containsExactlyInAnyOrder("id", "label", "rank", "price", "volume", "listed", "tags");
        JsonObject eth = vespa.document("market", "eth-usd").orElseThrow();
        assertThat(eth.getString("volume")).isEqualTo("0.000000000000000001");
        assertThat(eth.getBoolean("listed")).isFalse();
        assertThat(eth.getJsonArray("tags")).as("an empty array is no value, as Vespa returns it").isNull();
        assertThat(eth.getDouble("price")).isEqualTo(3120.25);
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  @Test
  void theConnectorTakesTheSourcesTopicsAndConfiguredProcessorsUnlessItListsTopics() throws Exception {
    JsonObject poller = new JsonObject().put("name", "api-poller").put("verticle", "ApiPollerVerticle").put("config", new JsonObject()
        .put("endpoints", new JsonArray()
            .add(new JsonObject().put("endpoint", "https://api.llama.fi/v2/chains").put("dataType", "chains"))
            .add(new JsonObject().put("endpoint", "https://api.example.com/m").put("dataType", "markets")
                .put("fields", new JsonObject().put("/id", "string")).put("idField", "id").put("documentType", "market"))));
    JsonObject realtime = new JsonObject().put("name", "trades").put("verticle", "RealtimeSourceVerticle").put("config", new JsonObject()
        .put("streams", new JsonArray()
            .add(new JsonObject().put("name", "fed").put("url", "https://stream.example.com/a").put("topic", "fed-trades")
                .put("recordClass", "ai.pintxo.weaver.codecs.realtime.BinanceTrade").put("documentType", "trade"))
            .add(new JsonObject().put("name", "kafka-only").put("url", "https://stream.example.com/b").put("topic", "raw-trades")
                .put("recordClass", "ai.pintxo.weaver.codecs.realtime.BinanceTrade"))));
    JsonObject ingest = new JsonObject().put("name", "ingest").put("verticle", "HttpIngestVerticle").put("config", new JsonObject()
        .put("streams", new JsonArray()
            .add(new JsonObject().put("name", "posted").put("topic", "posted-trades").put("token", "t")
                .put("recordClass", "ai.pintxo.weaver.codecs.realtime.BinanceTrade").put("documentType", "trade"))
            .add(new JsonObject().put("name", "kept").put("topic", "kept-trades").put("token", "t")
                .put("recordClass", "ai.pintxo.weaver.codecs.realtime.BinanceTrade"))));
    JsonObject connector = new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle")
        .put("config", new JsonObject().put("vespa", new JsonObject().put("endpoint", "http://127.0.0.1:1")));
    JsonObject file = new JsonObject().put("verticles", new JsonArray().add(connector).add(poller).add(realtime).add(ingest));
    Files.writeString(dir.resolve("linked.json"), file.encodePrettily());

    JsonObject linked = connectorConfig(Deployment.load(dir.resolve("linked.json"), Map.of()));
    assertThat(linked.getJsonArray("topics").getList()).as("the sources' topics that have a processor, in deployment order")
        .isEqualTo(List.of("chains-api-topic", "markets-api-topic", "fed-trades", "posted-trades"));
    assertThat(linked.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("topic")).toList())
        .isEqualTo(List.of("markets-api-topic", "fed-trades", "posted-trades"));

    connector.getJsonObject("config").put("topics", new JsonArray().add("chains-api-topic"));
    Files.writeString(dir.resolve("listed.json"), file.encodePrettily());
    assertThat(connectorConfig(Deployment.load(dir.resolve("listed.json"), Map.of())).getJsonArray("topics").getList())
        .as("topics written in the connector's config win").isEqualTo(List.of("chains-api-topic"));
  }

  private static JsonObject connectorConfig(Deployment deployment) {
    return deployment.verticles().stream().filter(v -> v.name().equals("engine-connector")).findFirst().orElseThrow().config();
  }
}
