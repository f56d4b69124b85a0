package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which bind addresses need a token, and the control topic's record as written and read. */
class AdminOptionsTest {

  @Test
  void onlyLoopbackAddressesGoWithoutAToken() {
    for (String loopback : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"}) {
      assertThat(AdminOptions.isLoopback(loopback)).as(loopback).isTrue();
      assertThat(read(loopback, null).getToken()).isNull();
    }
    for (String reachable : new String[] {"0.0.0.0", "::", "10.0.0.7", "weaver.internal", "128.0.0.1", "127.0.0.1.example.com"}) {
      assertThat(AdminOptions.isLoopback(reachable)).as(reachable).isFalse();
      assertThatThrownBy(() -> read(reachable, null)).isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("admin.token"));
      assertThat(read(reachable, "s3cret").getToken()).isEqualTo("s3cret");
    }
    assertThat(new AdminOptions().getWatch()).isEqualTo(AdminOptions.DEFAULT_WATCH);
  }

  @Test
  void aPipelineStateReadsBackAsWritten() throws Exception {
    PipelineState state = new PipelineState("api-poller", true, "vendor maintenance", "alice", Instant.parse("2026-11-28T10:00:00.123Z"));
    assertThat(PipelineState.decode(state.encode())).isEqualTo(state);
    assertThat(new JsonObject(new String(state.encode(), java.nio.charset.StandardCharsets.UTF_8)).getString("at"))
        .as("ISO-8601 on the topic, readable with kafka-console-consumer").isEqualTo("2026-11-28T10:00:00.123Z");
    PipelineState resumed = new PipelineState("api-poller", false, null, "bob", Instant.EPOCH);
    assertThat(PipelineState.decode(resumed.encode())).isEqualTo(resumed);
    assertThat(state.shownReason()).isEqualTo("vendor maintenance (alice)");
    assertThatThrownBy(() -> PipelineState.decode("{\"pipeline\": \"x\", \"paused\": \"yes\"}".getBytes()))
        .as("a wrong type is an error, not a guess").isInstanceOf(java.io.IOException.class);
  }

  private static AdminOptions read(String host, String token) {
    JsonObject json = new JsonObject().put("host", host);
    if (token != null) {
      json.put("token", token);
    }
    return AdminOptions.SPEC.read(json, "admin");
  }
}
