package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.connector.processors.PintxoMetricProcessor;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Emulator (50,000 blocks) → SubstreamsVerticle → Kafka → EngineConnectorVerticle → Vespa emulator: exact documents. */
class SubstreamsToVespaTest {

  static final int BLOCKS = 50_000;

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void fiftyThousandBlocksBecomeExactlyTheExpectedDocuments() throws Exception {
    try (Harness h = new Harness(dir)) {
      h.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 10)).setOutputs("map_token_supply", Payloads.supply(1, 10)));
      VespaEmulator vespa = Await.result(VespaEmulator.start(h.vertx, new VespaEmulatorOptions()));
      Path coins = Files.writeString(dir.resolve("coins.json"), """
          [{"id":"tether","symbol":"usdt","name":"Tether","platforms":{"ethereum":"0x%s"}}]""".formatted(Payloads.TOKENS.get(0)));
      SubstreamsOptions options = h.options("pintxo-seaport", TestPackages.seaport(), "SeaportStrategy", "metrics_out", BLOCKS)
          .setCoinList(coins.toString());
      long started = System.nanoTime();
      SubstreamsVerticle substream = h.deploy(options);
      SubstreamsVerticle supply = h.deploy(h.options("erc-20-supply", TestPackages.supply(), "SupplyStrategy", "map_token_supply", 5_000)
          .setFinalBlocksOnly(true));
      h.vertx.deployVerticle(() -> new EngineConnectorVerticle(new EngineConnectorOptions().setKafka(h.kafkaOptions())
          .setTopics(List.of(PintxoMetric.TOPIC.name(), SupplyMetric.TOPIC.name()))
          .setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint())).setCommitInterval(Duration.ofMillis(200))),
          new io.vertx.core.DeploymentOptions());
      Await.result(substream.completion());
      double seconds = (System.nanoTime() - started) / 1e9;
      int expected = BLOCKS - BLOCKS / 10;
      Await.until(expected + " metric documents", Duration.ofSeconds(180), () -> vespa.count("metric") >= expected, () -> vespa.count("metric"));
      System.out.printf("substreams → Kafka: %,d blocks in %.1f s (%.0f blocks/s), then %,d documents in Vespa%n", BLOCKS, seconds,
          BLOCKS / seconds, vespa.count("metric"));
      assertThat(vespa.count("metric")).isEqualTo(expected);
      List<String> wrong = new ArrayList<>();
      for (long b = 0; b < BLOCKS; b++) {
        if (Payloads.empty(b, 10)) {
          continue;
        }
        String key = Payloads.seaportKey(b, 0);
        String id = "Opensea_Seaport:" + key.substring("seaport_".length());
        String address = Payloads.TOKENS.get((int) (b % Payloads.TOKENS.size()));
        JsonObject expectedFields = new JsonObject().put("protocol_ref", PintxoMetricProcessor.PROTOCOL_REF)
            .put("token", address.equals(Payloads.TOKENS.get(0)) ? "usdt" : address).put("name", "block").put("metric", "block")
            .put("interval", "minute").put("interval_value", Long.toString(b % 60)).put("value", Payloads.seaportValue(b, 0, 0));
        JsonObject doc = vespa.document("metric", id).orElse(null);
        if (doc == null || !expectedFields.equals(fields(doc, expectedFields))) {
          wrong.add(id + " → " + doc);
          if (wrong.size() > 5) {
            break;
          }
        }
      }
      assertThat(wrong).as("documents differing from the expected fields").isEmpty();

      Await.result(supply.completion());
      Await.until("4,500 supply documents", Duration.ofSeconds(120), () -> vespa.count("erc20_supply") >= 4_500,
          () -> vespa.count("erc20_supply"));
      assertThat(vespa.count("erc20_supply")).isEqualTo(4_500);
      for (long b : new long[] {1, 2_345, 4_999}) {
        String address = Payloads.supplyAddress(b, 0);
        assertThat(vespa.document("erc20_supply", address).map(d -> fields(d, new JsonObject().put("address", "").put("supply", ""))))
            .contains(new JsonObject().put("address", address).put("supply", Payloads.supplies(b, 0, 1).getItems(0).getSupply()));
      }
      Await.result(vespa.close());
    }
  }

  /** @return the document's values of the expected fields (the emulator may add its own) */
  static JsonObject fields(JsonObject doc, JsonObject expected) {
    JsonObject source = doc.containsKey("fields") ? doc.getJsonObject("fields") : doc;
    JsonObject out = new JsonObject();
    for (String f : expected.fieldNames()) {
      out.put(f, source.getValue(f));
    }
    return out;
  }
}
