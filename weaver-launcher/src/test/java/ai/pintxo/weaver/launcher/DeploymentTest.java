package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {

  static final Path PROJECT = Path.of(System.getProperty("weaver.project.dir", "..")).toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void theDefaultDeploymentIsValidAndCompleteAfterDefaults() {
    Deployment d = Deployment.load(PROJECT.resolve("conf/deployment.json"), Map.of());
    assertThat(d.embeddedKafka()).as("no bootstrap servers: the embedded broker").isTrue();
    assertThat(d.embeddedDataDir()).isEqualTo(PROJECT.resolve("data/kafka"));
    assertThat(d.adminHost()).isEqualTo("127.0.0.1");
    assertThat(d.verticles()).extracting(VerticleSpec::name).containsExactly("api-poller", "pyth", "engine-connector");
    JsonObject poller = d.verticles().get(0).config();
    assertThat(poller.getString("endpointsFile")).as("resolved against the file's directory").isEqualTo(PROJECT.resolve("conf/endpoints.json").toString());
    assertThat(poller.getString("requestTimeout")).as("defaults filled in").isEqualTo("2m");
    JsonObject pyth = d.verticles().get(1).config();
    assertThat(pyth.getString("feedsFile")).as("the original feed list, resolved").isEqualTo(PROJECT.resolve("conf/pyth-price-feed-ids.json").toString());
    JsonObject connector = d.verticles().get(2).config();
    assertThat(connector.getJsonObject("vespa").getInteger("maxInflight")).as("connections × streams").isEqualTo(512);
    assertThat(connector.getJsonObject("kafka").getInteger("topicPartitions")).as("top-level kafka given to each verticle").isEqualTo(4);
  }

  @Test
  void environmentSwitchesToAnExternalClusterAndScales() {
    Deployment d = Deployment.load(PROJECT.resolve("conf/deployment.json"), Map.of(
        "WEAVER_KAFKA__BOOTSTRAP_SERVERS", "kafka-1:9092",
        "WEAVER_VERTICLES__ENGINE_CONNECTOR__INSTANCES", "4",
        "WEAVER_CLUSTER__MEMBER", "w2"));
    assertThat(d.embeddedKafka()).isFalse();
    for (VerticleSpec v : d.verticles()) {
      JsonObject cluster = v.config().getJsonObject("cluster");
      assertThat(cluster.getString("member")).as("the top-level cluster section given to %s", v.name()).isEqualTo("w2");
      assertThat(cluster.getString("pipeline")).as("the pipeline is the entry's name").isEqualTo(v.name());
      assertThat(cluster.getString("group")).isEqualTo("weaver");
    }
    assertThat(d.verticles().get(2).instances()).isEqualTo(4);
    assertThat(d.verticles().get(2).config().getJsonObject("kafka").getString("bootstrapServers")).isEqualTo("kafka-1:9092");
    assertThat(d.overrides()).containsExactlyInAnyOrder("WEAVER_KAFKA__BOOTSTRAP_SERVERS", "WEAVER_VERTICLES__ENGINE_CONNECTOR__INSTANCES",
        "WEAVER_CLUSTER__MEMBER");
  }

  private Path write(String json) throws IOException {
    Files.writeString(dir.resolve("endpoints.json"), """
        [{"endpoint": "https://api.llama.fi/protocols", "dataType": "protocols", "responseType": "json", "interval": "1h"}]""");
    Path file = dir.resolve("deployment.json");
    Files.writeString(file, json);
    return file;
  }

  private static String connector(String config) {
    return "{\"verticles\": [{\"name\": \"c\", \"verticle\": \"EngineConnectorVerticle\", \"config\": " + config + "}]}";
  }

  @Test
  void invalidConfigurationNamesTheKeyAndTheReason() throws IOException {
    assertThatThrownBy(() -> Deployment.load(write(connector("{\"vespa\": {\"endpiont\": \"http://x\"}}")), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("verticles[c].config.vespa.endpiont").hasMessageContaining("unknown key");
    assertThatThrownBy(() -> Deployment.load(write(connector("{\"vespa\": {\"endpoint\": \"vespa:8080\"}}")), Map.of()))
        .hasMessageContaining("verticles[c].config.vespa.endpoint").hasMessageContaining("absolute http");
    assertThatThrownBy(() -> Deployment.load(write(connector("{\"topics\": [\"nope-topic\"]}")), Map.of()))
        .hasMessageContaining("verticles[c].config.topics[0]").hasMessageContaining("no processor for topic 'nope-topic'");
    assertThatThrownBy(() -> Deployment.load(write(connector("{\"commitInterval\": \"soon\"}")), Map.of()))
        .hasMessageContaining("verticles[c].config.commitInterval").hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Deployment.load(write(connector("{\"vespa\": {\"maxInflight\": 0}}")), Map.of()))
        .hasMessageContaining("verticles[c].config.vespa.maxInflight").hasMessageContaining("must be within [1, 65536], was 0");
    assertThatThrownBy(() -> Deployment.load(write("{\"verticles\": [{\"verticle\": \"PythonVerticle\"}]}"), Map.of()))
        .hasMessageContaining("verticles[0].verticle").hasMessageContaining("unknown verticle 'PythonVerticle'")
        .hasMessageContaining("EngineConnectorVerticle");
    assertThatThrownBy(() -> Deployment.load(write("{\"verticles\": [{\"verticle\": \"EngineConnectorVerticle\", \"instances\": 0}]}"), Map.of()))
        .hasMessageContaining("verticles[0].instances");
    assertThatThrownBy(() -> Deployment.load(write("{\"verticles\": [{\"name\": \"s\", \"verticle\": \"SubstreamsVerticle\", \"instances\": 2}]}"),
        Map.of())).hasMessageContaining("verticles[s].instances").hasMessageContaining("at most 1");
    assertThatThrownBy(() -> Deployment.load(write("{\"cluster\": {\"group\": \"a b\"}, \"verticles\": []}"), Map.of()))
        .hasMessageContaining("cluster.group");
    assertThatThrownBy(() -> Deployment.load(write("{\"verticles\": [{\"verticle\": \"EngineConnectorVerticle\"},"
        + "{\"verticle\": \"EngineConnectorVerticle\"}]}"), Map.of())).hasMessageContaining("names must be unique");
    assertThatThrownBy(() -> Deployment.load(write("{\"kafka\": {\"topicPartitions\": \"many\"}, \"verticles\": []}"), Map.of()))
        .hasMessageContaining("kafka.topicPartitions").hasMessageContaining("expected an integer");
    assertThatThrownBy(() -> Deployment.load(write("{\"verticles\": [}"), Map.of()))
        .hasMessageContaining("deployment.json").hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> Deployment.load(dir.resolve("missing.json"), Map.of()))
        .hasMessageContaining("missing.json").hasMessageContaining("cannot read");
  }

  @Test
  void theEndpointsFileIsCheckedBeforeAnythingStarts() throws IOException {
    String poller = "{\"verticles\": [{\"name\": \"p\", \"verticle\": \"ApiPollerVerticle\", \"config\": {\"endpointsFile\": \"%s\"}}]}";
    Deployment ok = Deployment.load(write(poller.formatted("endpoints.json")), Map.of());
    assertThat(ok.verticles().get(0).config().getString("endpointsFile")).isEqualTo(dir.resolve("endpoints.json").toString());
    assertThatThrownBy(() -> Deployment.load(write(poller.formatted("nowhere.json")), Map.of()))
        .hasMessageContaining("verticles[p].config.endpointsFile").hasMessageContaining("nowhere.json");
    Files.writeString(dir.resolve("bad-endpoints.json"), "[{\"endpoint\": \"https://x.example/a\", \"dataType\": \"weather\"}]");
    Path file = dir.resolve("deployment-bad.json");
    Files.writeString(file, poller.formatted("bad-endpoints.json"));
    assertThatThrownBy(() -> Deployment.load(file, Map.of()))
        .hasMessageContaining("bad-endpoints.json[0].dataType").hasMessageContaining("no handler for data type 'weather'")
        .hasMessageContaining("protocols");
  }

  @Test
  void theRunCommandFailsFastWithTheKeyBeforeConnecting() throws IOException {
    Path file = write(connector("{\"vespa\": {\"endpoint\": \"ftp://vespa\"}}"));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertThat(Weaver.execute(new String[] {"run", file.toString()})).isEqualTo(1);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString()).contains("weaver run: invalid configuration: verticles[c].config.vespa.endpoint");
    assertThat(Files.exists(dir.resolve("../data/kafka"))).as("no broker was started").isFalse();
  }
}
