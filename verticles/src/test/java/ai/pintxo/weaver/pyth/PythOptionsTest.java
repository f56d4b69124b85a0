package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythOptionsTest {

  private static final String FEEDS = "[{\"id\": \"0x" + "a".repeat(64) + "\", \"symbol\": \"Crypto.BTC/USD\"}]";

  private static JsonObject config(String extra) {
    return new JsonObject("{\"feeds\": " + FEEDS + (extra.isEmpty() ? "" : ", " + extra) + "}");
  }

  @Test
  void theDefaultIsPythsUpgradedEndpointAndOneEndpointIsAOneElementList() {
    assertThat(new PythOptions(config("")).getEndpoints()).containsExactly("https://pyth.dourolabs.app/hermes");
    assertThat(new PythOptions(config("\"endpoint\": \"https://hermes.example.io/\"")).getEndpoints())
        .containsExactly("https://hermes.example.io");
    assertThat(new PythOptions(config("\"endpoints\": [\"https://a.example.io/hermes/\", \"http://127.0.0.1:9\"]")).getEndpoints())
        .containsExactly("https://a.example.io/hermes", "http://127.0.0.1:9");
    assertThat(new PythOptions(config("")).getApiKeyEnv()).isEqualTo("PYTH_API_KEY");
    assertThat(new PythOptions(config("")).getMaxStaleness()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void badEndpointListsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new PythOptions(config("\"endpoint\": \"https://x.example.io\", \"endpoints\": [\"https://y.example.io\"]")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.endpoints").hasMessageContaining("not both");
    assertThatThrownBy(() -> new PythOptions(config("\"endpoints\": [\"https://y.example.io\", \"ftp://z\"]")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.endpoints[1]");
    assertThatThrownBy(() -> new PythOptions(config("\"endpoints\": [\"https://y.example.io\", \"https://y.example.io/\"]")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
  }

  @Test
  void aFeedsOwnMaxStalenessIsReadInlineAndFromTheFeedsFile() {
    PythOptions inline = new PythOptions(new JsonObject("{\"feeds\": [{\"id\": \"" + "a".repeat(64) + "\", \"maxStaleness\": \"5s\"}]}"));
    assertThat(inline.getFeedsList().get(0).getMaxStaleness()).isEqualTo(Duration.ofSeconds(5));
    List<PythFeedOptions> file = PythOptions.parseFeedsFile(Buffer.buffer("[{\"id\": \"" + "b".repeat(64) + "\", \"maxStaleness\": \"0\"},"
        + " {\"id\": \"" + "c".repeat(64) + "\"}]"), "feeds.json");
    assertThat(file.get(0).getMaxStaleness()).isEqualTo(Duration.ZERO);
    assertThat(file.get(1).getMaxStaleness()).isNull();
    assertThatThrownBy(() -> PythOptions.parseFeedsFile(Buffer.buffer("[{\"id\": \"" + "b".repeat(64) + "\", \"maxStaleness\": \"soon\"}]"),
        "feeds.json")).isInstanceOf(ConfigException.class).hasMessageContaining("feeds.json[0].maxStaleness");
  }

  @Test
  void theKeyComesFromTheAccessTokenOptionElseTheVariableAndIsNeverPrinted() {
    PythOptions options = new PythOptions(config(""));
    assertThat(PythApiKey.resolve(options, Map.of("PYTH_API_KEY", " s3cret ")).value()).isEqualTo("s3cret");
    assertThat(PythApiKey.resolve(options, Map.of("PYTH_API_KEY", "s3cret")).toString()).doesNotContain("s3cret").contains("PYTH_API_KEY");
    assertThat(PythApiKey.resolve(options.copy().setAccessToken("t0ken"), Map.of("PYTH_API_KEY", "s3cret")).value()).isEqualTo("t0ken");
    assertThat(PythApiKey.resolve(options.copy().setApiKeyEnv("MY_KEY"), Map.of("MY_KEY", "mine")).value()).isEqualTo("mine");
    PythApiKey none = PythApiKey.resolve(options, Map.of("PYTH_API_KEY", "  "));
    assertThat(none.present()).isFalse();
    assertThat(none.refusal(401, "Hermes at h")).isEqualTo("no Pyth API key: set PYTH_API_KEY (Hermes at h answered 401)");
    assertThat(PythApiKey.resolve(options, Map.of("PYTH_API_KEY", "s3cret")).refusal(403, "Hermes at h"))
        .isEqualTo("Hermes at h refused the Pyth API key from PYTH_API_KEY (403)");
  }
}
