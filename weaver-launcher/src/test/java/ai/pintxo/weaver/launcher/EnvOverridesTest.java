package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  private static JsonObject tree() {
    return new JsonObject("""
        {"kafka": {"bootstrapServers": "", "topicPartitions": 4, "createTopics": true, "properties": {}},
         "verticles": [
           {"name": "api-poller", "verticle": "ApiPollerVerticle", "instances": 1, "config": {"defaultInterval": "24h"}},
           {"name": "engine-connector", "verticle": "EngineConnectorVerticle", "instances": 1,
            "config": {"topics": ["a", "b"], "vespa": {"endpoint": "http://localhost:8080"}}}]}""");
  }

  @Test
  void keysInUpperSnakeCaseJoinedByDoubleUnderscores() {
    JsonObject root = tree();
    var applied = EnvOverrides.apply(root, Map.of(
        "WEAVER_KAFKA__BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092",
        "WEAVER_KAFKA__TOPIC_PARTITIONS", "12",
        "WEAVER_KAFKA__CREATE_TOPICS", "false",
        "WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT", "https://vespa.example:443",
        "WEAVER_VERTICLES__ENGINE_CONNECTOR__INSTANCES", "3",
        "WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__TOPICS", "x,y , z",
        "WEAVER_OPTS", "-Xmx1g",
        "PATH", "/usr/bin"));
    assertThat(root.getJsonObject("kafka").getString("bootstrapServers")).isEqualTo("broker-1:9092,broker-2:9092");
    assertThat(root.getJsonObject("kafka").getValue("topicPartitions")).isEqualTo(12L);
    assertThat(root.getJsonObject("kafka").getValue("createTopics")).isEqualTo(false);
    JsonObject connector = root.getJsonArray("verticles").getJsonObject(1);
    assertThat(connector.getValue("instances")).isEqualTo(3L);
    assertThat(connector.getJsonObject("config").getJsonObject("vespa").getString("endpoint")).isEqualTo("https://vespa.example:443");
    assertThat(connector.getJsonObject("config").getJsonArray("topics")).isEqualTo(new JsonArray().add("x").add("y").add("z"));
    assertThat(applied).as("names only, and no variable without a double underscore")
        .containsExactly("WEAVER_KAFKA__BOOTSTRAP_SERVERS", "WEAVER_KAFKA__CREATE_TOPICS", "WEAVER_KAFKA__TOPIC_PARTITIONS",
            "WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__TOPICS", "WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT",
            "WEAVER_VERTICLES__ENGINE_CONNECTOR__INSTANCES");
  }

  @Test
  void keysTheFileDoesNotHoldAreAdded() {
    JsonObject root = tree();
    EnvOverrides.apply(root, Map.of(
        "WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__BEARER_TOKEN", "s3cr3t",
        "WEAVER_VERTICLES__API_POLLER__CONFIG__REQUEST_TIMEOUT", "30s",
        "WEAVER_KAFKA__PROPERTIES__SASL_MECHANISM", "PLAIN",
        "WEAVER_ADMIN__PORT", "9000"));
    assertThat(root.getJsonArray("verticles").getJsonObject(1).getJsonObject("config").getJsonObject("vespa").getString("bearerToken"))
        .isEqualTo("s3cr3t");
    assertThat(root.getJsonArray("verticles").getJsonObject(0).getJsonObject("config").getString("requestTimeout")).isEqualTo("30s");
    assertThat(root.getJsonObject("kafka").getJsonObject("properties").getString("sasl.mechanism")).isEqualTo("PLAIN");
    assertThat(root.getJsonObject("admin").getString("port")).isEqualTo("9000");
  }

  @Test
  void aPathThatCannotBeFollowedNamesTheVariable() {
    assertThatThrownBy(() -> EnvOverrides.apply(tree(), Map.of("WEAVER_VERTICLES__PYTH__INSTANCES", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("WEAVER_VERTICLES__PYTH__INSTANCES").hasMessageContaining("PYTH");
    assertThatThrownBy(() -> EnvOverrides.apply(tree(), Map.of("WEAVER_KAFKA__BOOTSTRAP_SERVERS__X", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not an object");
  }

  @Test
  void caseConversionBothWays() {
    assertThat(EnvOverrides.upperSnake("maxStreamsPerConnection")).isEqualTo("MAX_STREAMS_PER_CONNECTION");
    assertThat(EnvOverrides.upperSnake("engine-connector")).isEqualTo("ENGINE_CONNECTOR");
    assertThat(EnvOverrides.upperSnake("change_1h")).isEqualTo("CHANGE_1H");
    assertThat(EnvOverrides.camelCase("MAX_STREAMS_PER_CONNECTION")).isEqualTo("maxStreamsPerConnection");
  }

  @Test
  void secretsAreMaskedWhenPrinted() {
    JsonObject masked = Secrets.mask(new JsonObject("""
        {"vespa": {"endpoint": "http://v", "bearerToken": "abc"}, "kafka": {"properties": {"sasl.jaas.config": "x", "ssl.truststore.password": "p"}}}"""));
    assertThat(masked.getJsonObject("vespa").getString("bearerToken")).isEqualTo("***");
    assertThat(masked.getJsonObject("vespa").getString("endpoint")).isEqualTo("http://v");
    assertThat(masked.getJsonObject("kafka").getJsonObject("properties").getString("sasl.jaas.config")).isEqualTo("***");
    assertThat(masked.getJsonObject("kafka").getJsonObject("properties").getString("ssl.truststore.password")).isEqualTo("***");
  }
}
