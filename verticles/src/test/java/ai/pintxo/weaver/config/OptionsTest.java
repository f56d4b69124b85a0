package ai.pintxo.weaver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.realtime.RealtimeSourceOptions;
import ai.pintxo.weaver.substreams.SubstreamsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The option declarations: one check for every origin of a value, round trips, copies, the reference's facts. */
class OptionsTest {

  @Test
  void aSetterGetsTheSameErrorAsTheFile() {
    ConfigException fromSetter = catchConfig(() -> new VespaFeedOptions().setMaxInflight(0));
    ConfigException fromFile = catchConfig(() -> new EngineConnectorOptions(new JsonObject().put("vespa", new JsonObject().put("maxInflight", 0))));
    assertThat(fromSetter.key()).isEqualTo("vespa.maxInflight");
    assertThat(fromFile.key()).isEqualTo("config.vespa.maxInflight");
    assertThat(fromSetter.reason()).isEqualTo(fromFile.reason()).isEqualTo("must be within [1, 65536], was 0");

    // The embedding mistake the issue names: a Substreams endpoint without a port fails at the setter, not deep in the verticle.
    assertThatThrownBy(() -> new SubstreamsOptions().setEndpoint("host")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.endpoint").hasMessageContaining("must be host:port");
    assertThatThrownBy(() -> new KafkaOptions().setTopicPartitions(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka.topicPartitions: must be within [1, 10000], was 0");
    assertThatThrownBy(() -> new VespaFeedOptions().setRequestTimeout(Duration.ZERO)).hasMessageContaining("vespa.requestTimeout: must be positive");
  }

  @Test
  void optionsBuiltInJavaAreValidatedLikeTheFile() {
    SubstreamsOptions incomplete = new SubstreamsOptions().setName("s").setEndpoint("localhost:9000");
    assertThatThrownBy(incomplete::validate).isInstanceOf(ConfigException.class).hasMessageContaining("config.manifestUrl: is required");
    VespaFeedOptions crossed = new VespaFeedOptions().setMinBackoff(Duration.ofSeconds(5)).setMaxBackoff(Duration.ofSeconds(1));
    assertThatThrownBy(crossed::validate).hasMessageContaining("vespa.maxBackoff: must not be shorter than minBackoff (5s)");
  }

  @Test
  void unknownKeysAndWrongTypesAreNamedWithTheirFullPath() {
    assertThatThrownBy(() -> EngineConnectorOptions.SPEC.read(new JsonObject().put("vespa", new JsonObject().put("endpiont", "http://x")),
        "verticles[c].config")).hasMessageContaining("verticles[c].config.vespa.endpiont: unknown key (known keys: bearerToken, caCertificates");
    assertThatThrownBy(() -> RealtimeSourceOptions.SPEC.read(new JsonObject().put("streams", new JsonArray().add(new JsonObject()
        .put("name", "s").put("url", "http://x").put("recordClass", "ai.pintxo.weaver.codecs.realtime.BinanceTrade").put("topic", "t")
        .put("pingInterval", true))), "config")).hasMessageContaining("config.streams[0].pingInterval: expected a duration such as \"30s\", got boolean true");
  }

  @Test
  void anOverflowingDurationNamesItsKey() {
    assertThatThrownBy(() -> new ApiPollerOptions(new JsonObject().put("endpointsFile", "e.json").put("defaultInterval", "999999999999999d")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.defaultInterval").hasMessageContaining("is too long");
  }

  @Test
  void toJsonReadsBackToTheSameOptions() {
    List<Options<?>> all = List.of(
        new KafkaOptions().setBootstrapServers("k:9092"),
        new VespaFeedOptions().setEndpoint("https://v:443/").setConnections(3).setBearerToken("t"),
        new EngineConnectorOptions().setGroupId("g"),
        new PythOptions(new JsonObject().put("feeds", new JsonArray().add(new JsonObject().put("id", "0xab").put("symbol", "Crypto.BTC/USD")))
            .put("conflationInterval", "0")),
        new ApiPollerOptions(new JsonObject().put("endpointsFile", "e.json").put("retries", 100)),
        new SubstreamsOptions().setName("s").setManifestUrl("p.spkg").setOutputModule("m").setEndpoint("h:443").setStartBlock(-5L));
    for (Options<?> options : all) {
      JsonObject json = options.toJson();
      Options<?> again = options.spec().read(json, options.path());
      assertThat(again.toJson()).as(options.getClass().getSimpleName()).isEqualTo(json);
    }
    assertThat(new PythOptions(new JsonObject().put("feedsFile", "f").put("conflationInterval", "0")).getConflationInterval()).isZero();
  }

  @Test
  void copiesAreIndependentAndNestedDefaultsStick() {
    EngineConnectorOptions options = new EngineConnectorOptions();
    options.getVespa().setConnections(7); // a nested default, changed in place, stays changed
    assertThat(options.getVespa().getConnections()).isEqualTo(7);
    EngineConnectorOptions copy = options.copy();
    copy.getVespa().setConnections(9);
    assertThat(options.getVespa().getConnections()).isEqualTo(7);
    assertThat(copy.getVespa().getMaxInflight()).as("computed default follows").isEqualTo(9 * 256);
  }

  @Test
  void secretsAreMaskedWhenPrinted() {
    VespaFeedOptions options = new VespaFeedOptions().setBearerToken("s3cr3t");
    assertThat(options.toMaskedJson().getString("bearerToken")).isEqualTo("***");
    assertThat(options.toString()).doesNotContain("s3cr3t");
    assertThat(options.toJson().getString("bearerToken")).isEqualTo("s3cr3t");
  }

  private static ConfigException catchConfig(Runnable action) {
    try {
      action.run();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("no ConfigException");
  }
}
