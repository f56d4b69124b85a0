package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SubstreamsOptionsTest {

  static JsonObject original() {
    // The original substreams.config.json entry, plus the endpoint.
    return new JsonObject("""
        {"name": "pintxo-seaport",
         "manifestUrl": "https://github.com/pintxo-ai/pintxo-substreams/releases/download/v0.1.1/pintxo-stream-v0.1.0.spkg",
         "strategy": "SeaportStrategy", "outputModule": "metrics_out", "interface": "PintxoMetric",
         "endpoint": "mainnet.eth.streamingfast.io:443"}""");
  }

  @Test
  void theOriginalEntryShapeIsAccepted() {
    SubstreamsOptions options = new SubstreamsOptions(original());
    assertThat(options.topic()).isEqualTo("pintxo-seaport-substreams-topic");
    assertThat(options.effectiveUndoBufferSize()).isEqualTo(12);
    assertThat(options.isProductionMode()).isTrue();
    SubstreamsOptions again = new SubstreamsOptions(options.toJson());
    assertThat(again.toJson()).isEqualTo(options.toJson());
    assertThat(options.setFinalBlocksOnly(true).effectiveUndoBufferSize()).isZero();
  }

  @Test
  void wrongValuesNameTheirKey() {
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("interface", "SupplyMetric")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.interface").hasMessageContaining("writes PintxoMetric");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("strategy", "UniswapStrategy")))
        .hasMessageContaining("config.strategy");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("endpoint", "https://mainnet.eth.streamingfast.io")))
        .hasMessageContaining("config.endpoint");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("stopBlock", "soon"))).hasMessageContaining("config.stopBlock");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("undoBufferSize", true))).hasMessageContaining("config.undoBufferSize");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("apiKey", "secret"))).hasMessageContaining("config.apiKey: unknown key");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("startBlock", 10).put("stopBlock", 10)))
        .hasMessageContaining("config.stopBlock");
  }

  @Test
  void undoModeIsBufferByDefaultAndPropagateRefusesWhatItCannotDo() {
    assertThat(new SubstreamsOptions(original()).getUndoMode()).isEqualTo("buffer");
    assertThat(new SubstreamsOptions(original().put("undoMode", "propagate")).isPropagate()).isTrue();
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("undoMode", "rewind"))).hasMessageContaining("config.undoMode");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("undoMode", "propagate").put("finalBlocksOnly", true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.undoMode").hasMessageContaining("finalBlocksOnly");
    assertThatThrownBy(() -> new SubstreamsOptions(original().put("undoMode", "propagate").put("undoBufferSize", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.undoBufferSize");
  }

  @Test
  void credentialsComeFromTheKeyFileOrTheEnvironment() throws Exception {
    SubstreamsOptions options = new SubstreamsOptions(original());
    assertThat(Credentials.header(options, java.util.Map.of())).isEmpty();
    assertThat(Credentials.header(options, java.util.Map.of("SUBSTREAMS_API_TOKEN", "jwt"))).contains(java.util.Map.entry("authorization", "Bearer jwt"));
    assertThat(Credentials.header(options, java.util.Map.of("SUBSTREAMS_API_KEY", "k", "SUBSTREAMS_API_TOKEN", "jwt")))
        .contains(java.util.Map.entry("x-api-key", "k"));
    Path file = Files.createTempFile("key", ".txt");
    Files.writeString(file, "from-file\n");
    assertThat(Credentials.header(options.setApiKeyFile(file.toString()), java.util.Map.of("SUBSTREAMS_API_KEY", "k")))
        .contains(java.util.Map.entry("x-api-key", "from-file"));
  }

  @Test
  void fatalStatusesAreTheGoSinksOnes() {
    assertThat(StreamErrors.isFatal(GrpcStatus.UNAUTHENTICATED, "authentication: bad key")).isTrue();
    assertThat(StreamErrors.isFatal(GrpcStatus.INVALID_ARGUMENT, "")).isTrue();
    assertThat(StreamErrors.isFatal(GrpcStatus.RESOURCE_EXHAUSTED, "quota exceeded for this API key")).isTrue();
    assertThat(StreamErrors.isFatal(GrpcStatus.RESOURCE_EXHAUSTED, "no concurrent stream available")).isFalse();
    assertThat(StreamErrors.isFatal(GrpcStatus.UNAVAILABLE, "endpoint is shutting down, please reconnect")).isFalse();
    assertThat(StreamErrors.isFatal(GrpcStatus.INTERNAL, "stream terminated by RST_STREAM")).isFalse();
  }

  @Test
  void providerResolvesRelativePathsAndChecksALocalPackage(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path spkg = dir.resolve("seaport.spkg");
    ai.pintxo.weaver.testkit.substreams.TestPackages.write(ai.pintxo.weaver.testkit.substreams.TestPackages.seaport(), spkg);
    JsonObject config = original().put("manifestUrl", "seaport.spkg");
    JsonObject validated = new SubstreamsProvider().validate(config, "verticles[seaport].config", dir);
    assertThat(validated.getString("manifestUrl")).isEqualTo(spkg.toString());
    assertThatThrownBy(() -> new SubstreamsProvider().validate(config.copy().put("outputModule", "store_metrics_out"),
        "verticles[seaport].config", dir)).hasMessageContaining("verticles[seaport].config.manifestUrl")
        .hasMessageContaining("module 'store_metrics_out' is a store, not a map");
  }
}
