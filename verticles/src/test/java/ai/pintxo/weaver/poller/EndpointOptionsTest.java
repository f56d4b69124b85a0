package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointOptionsTest {

  private static EndpointOptions read(String json) {
    return new EndpointOptions(new JsonObject(json), "endpoints[0]");
  }

  @Test
  void scheduleConditionalPagesAndRateLimitAreReadAndWrittenBack() {
    EndpointOptions options = read("""
        {"endpoint": "https://api.geckoterminal.com/api/v2/networks/zksync/new_pools", "dataType": "new_pools_zksync",
         "cron": "*/10 * * * *", "maxPages": 3, "conditional": false, "rateLimit": {"requests": 30, "period": "1m"}}""");
    assertThat(options.getCron()).map(Object::toString).contains("*/10 * * * *");
    assertThat(options.getInterval()).isEmpty();
    assertThat(options.getMaxPages()).isEqualTo(3);
    assertThat(options.isConditional()).isFalse();
    assertThat(options.getRateLimit()).contains(new EndpointOptions.RateLimit(30, Duration.ofMinutes(1)));
    EndpointOptions again = new EndpointOptions(options.toJson(), "x");
    assertThat(again.toJson()).isEqualTo(options.toJson());
    assertThat(read("{\"endpoint\": \"https://api.llama.fi/overview/dexs\", \"dataType\": \"volumes\"}").isConditional())
        .as("conditional by default").isTrue();
  }

  @Test
  void badScheduleSettingsNameTheKey() {
    assertThatThrownBy(() -> read("{\"endpoint\": \"https://x.example/a\", \"dataType\": \"volumes\", \"cron\": \"0 6 * *\"}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoints[0].cron").hasMessageContaining("expected 5");
    assertThatThrownBy(() -> read("{\"endpoint\": \"https://x.example/a\", \"dataType\": \"volumes\", \"cron\": \"0 6 * * *\", \"interval\": \"1h\"}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoints[0].cron").hasMessageContaining("not both");
    assertThatThrownBy(() -> read("{\"endpoint\": \"https://x.example/a\", \"dataType\": \"volumes\", \"maxPages\": 0}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoints[0].maxPages");
    assertThatThrownBy(() -> read("{\"endpoint\": \"https://x.example/a\", \"dataType\": \"volumes\", \"rateLimit\": {\"period\": \"1m\"}}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoints[0].rateLimit.requests");
    assertThatThrownBy(() -> read("{\"endpoint\": \"https://x.example/a\", \"dataType\": \"volumes\", \"rateLimit\": {\"requests\": 5, \"per\": \"1m\"}}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoints[0].rateLimit.per");
  }

  @Test
  void pollerOptionsCarryChangeOnlyStateTopicAndDefaultRateLimitThroughJson() {
    JsonObject json = new JsonObject("""
        {"kafka": {"bootstrapServers": "localhost:9092"}, "changeOnly": false, "stateTopic": "my-state",
         "defaultRateLimit": {"requests": 10, "period": "10s"},
         "endpoints": [{"endpoint": "https://api.llama.fi/overview/dexs", "dataType": "volumes", "cron": "0 6 * * *"}]}""");
    ApiPollerOptions options = new ApiPollerOptions(json);
    assertThat(options.isChangeOnly()).isFalse();
    assertThat(options.getStateTopic()).isEqualTo("my-state");
    assertThat(options.getDefaultRateLimit()).isEqualTo(new EndpointOptions.RateLimit(10, Duration.ofSeconds(10)));
    assertThat(new ApiPollerOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(new ApiPollerOptions(new JsonObject("{\"kafka\": {}, \"endpoints\": [{\"endpoint\": \"https://a.example/x\", \"dataType\": \"pools\"}]}"))
        .isChangeOnly()).as("change-only by default").isTrue();
    assertThatThrownBy(() -> new ApiPollerOptions(json.copy().put("stateTopic", " ")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.stateTopic");
  }
}
