package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API poller against the emulator and a real broker: conditional requests, 429 with
 * Retry-After, change-only feeding across a restart, JSON:API paging, and the manual trigger.
 * Each test uses its own data type, so the shared pipeline's counters and topics do not mix.
 */
class PollerBehaviourTest {

  static final ApiPayloads PAYLOADS = new ApiPayloads(13, Map.of("tokens", 1, "protocols", 1, "stablecoins", 1,
      "chains", 20, "bridges", 10, "pools", 50, "new_pools_zksync", 45));
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static double cycles(String dataType) {
    return pipeline.count("weaver.poll.cycles", "data_type", dataType, "result", "ok");
  }

  private static JsonObject trigger(String dataType, boolean force) {
    return Await.result(pipeline.vertx.eventBus().<JsonObject>request(ApiPollerVerticle.TRIGGER_ADDRESS + dataType,
        new JsonObject().put("force", force))).body();
  }

  @Test
  void aNotModifiedAnswerProducesNothing() {
    ApiPollerOptions options = pipeline.pollerOptions(List.of("chains")).setChangeOnly(false);
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    Await.until("first poll produced", TIMEOUT, () -> cycles("chains") == 1, () -> cycles("chains"));
    assertThat(pipeline.probe.count(Chain.TOPIC.name())).isEqualTo(20);

    assertThat(trigger("chains", false).getInteger("endpoints")).isEqualTo(1);
    Await.until("second poll done", TIMEOUT, () -> cycles("chains") == 2, () -> cycles("chains"));
    assertThat(pipeline.api.notModified("chains")).as("the emulator answered 304").isEqualTo(1);
    assertThat(pipeline.count("weaver.poll.not_modified", "data_type", "chains")).isEqualTo(1);
    assertThat(pipeline.probe.count(Chain.TOPIC.name())).as("nothing produced on 304 (change-only is off)").isEqualTo(20);

    trigger("chains", true);
    Await.until("forced poll done", TIMEOUT, () -> cycles("chains") == 3, () -> cycles("chains"));
    assertThat(pipeline.api.notModified("chains")).as("a forced poll asks unconditionally").isEqualTo(1);
    assertThat(pipeline.probe.count(Chain.TOPIC.name())).isEqualTo(40);
  }

  @Test
  void tooManyRequestsWaitsForRetryAfterThenAsksOnce() {
    pipeline.api.rateLimit("bridges", 1, 2);
    ApiPollerOptions options = pipeline.pollerOptions(List.of("bridges")).setRetries(3);
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    Await.until("bridges produced after the lockout", TIMEOUT, () -> cycles("bridges") == 1, () -> cycles("bridges"));
    List<Long> times = pipeline.api.requestTimes("bridges");
    assertThat(times).as("one 429 and one successful request, no retry storm").hasSize(2);
    assertThat(Duration.ofNanos(times.get(1) - times.get(0))).as("the second request waited for Retry-After")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(pipeline.probe.count(Bridge.TOPIC.name())).isEqualTo(10);
    assertThat(pipeline.count("weaver.poll.rate_limited", "data_type", "bridges")).isEqualTo(1);
    assertThat(pipeline.probe.count(Bridge.TOPIC.deadLetterTopic())).as("a honoured 429 is no failure").isZero();
  }

  @Test
  void unchangedRecordsAreNotProducedAgainAlsoAfterARestart() {
    // Conditional requests off: the full response comes back each time and change-only feeding has to skip it.
    ApiPollerOptions options = pipeline.pollerOptions(List.of("pools")).setStateTopic("poller-state-test");
    options.getEndpoints().forEach(e -> e.setConditional(false));
    String first = pipeline.deploy(() -> new ApiPollerVerticle(options));
    Await.until("first poll", TIMEOUT, () -> cycles("pools") == 1, () -> cycles("pools"));
    assertThat(pipeline.probe.count(Pool.TOPIC.name())).isEqualTo(50);

    trigger("pools", false);
    Await.until("second poll", TIMEOUT, () -> cycles("pools") == 2, () -> cycles("pools"));
    assertThat(pipeline.probe.count(Pool.TOPIC.name())).as("an identical response produces nothing").isEqualTo(50);
    assertThat(unchanged()).isEqualTo(50);

    pipeline.api.change("pools", doc -> {
      for (int i = 0; i < 3; i++) {
        ((ObjectNode) doc.get("data").get(i)).put("tvlUsd", 1234.5 + i);
      }
    });
    trigger("pools", false);
    Await.until("third poll", TIMEOUT, () -> cycles("pools") == 3, () -> cycles("pools"));
    assertThat(pipeline.probe.count(Pool.TOPIC.name())).as("only the three changed pools").isEqualTo(53);
    assertThat(unchanged()).isEqualTo(97);

    pipeline.undeploy(first);
    pipeline.deploy(() -> new ApiPollerVerticle(options)); // a new instance: it polls at start with nothing in memory
    Await.until("poll after the restart", TIMEOUT, () -> cycles("pools") == 4, () -> cycles("pools"));
    assertThat(pipeline.probe.count(Pool.TOPIC.name())).as("the state came back from the compacted topic").isEqualTo(53);
    assertThat(unchanged()).isEqualTo(147);

    pipeline.api.change("pools", doc -> ((ObjectNode) doc.get("data").get(10)).put("apy", 99.0));
    trigger("pools", false);
    Await.until("poll after the change", TIMEOUT, () -> cycles("pools") == 5, () -> cycles("pools"));
    List<ConsumerRecord<byte[], byte[]>> records = pipeline.probe.readAll(Pool.TOPIC.name());
    assertThat(records).hasSize(54);
    assertThat(records).as("the changed pool").anySatisfy(r ->
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"apy\":99.0"));
    Set<String> stateKeys = pipeline.probe.readAll("poller-state-test").stream()
        .map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    assertThat(stateKeys).as("one state key per pool").hasSize(50).allMatch(k -> k.startsWith("pools-api-topic/"));
  }

  private static double unchanged() {
    return pipeline.count("weaver.records.unchanged", "data_type", "pools");
  }

  @Test
  void jsonApiPagesAreFollowedUpToMaxPages() {
    ApiPollerOptions options = pipeline.pollerOptions(List.of("new_pools_zksync"));
    options.getEndpoints().forEach(e -> e.setMaxPages(2));
    String limited = pipeline.deploy(() -> new ApiPollerVerticle(options));
    Await.until("two pages", TIMEOUT, () -> cycles("new_pools_zksync") == 1, () -> cycles("new_pools_zksync"));
    assertThat(pipeline.api.requests("new_pools_zksync")).isEqualTo(2);
    assertThat(pipeline.probe.count(GeckoPool.NEW_POOLS_ZKSYNC_TOPIC.name())).isEqualTo(40);
    pipeline.undeploy(limited);

    ApiPollerOptions all = pipeline.pollerOptions(List.of("new_pools_zksync"));
    pipeline.deploy(() -> new ApiPollerVerticle(all));
    Await.until("all pages", TIMEOUT, () -> cycles("new_pools_zksync") == 2, () -> cycles("new_pools_zksync"));
    assertThat(pipeline.api.requests("new_pools_zksync")).as("three pages of 20, 20 and 5").isEqualTo(5);
    assertThat(pipeline.probe.count(GeckoPool.NEW_POOLS_ZKSYNC_TOPIC.name()))
        .as("the 40 known pools unchanged, the last 5 new").isEqualTo(45);
  }

  @Test
  void triggeringAnUnknownDataTypeFindsNoPoller() {
    Throwable error = pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + "weather", new JsonObject())
        .toCompletionStage().handle((ok, err) -> err).toCompletableFuture().join();
    assertThat(error).isInstanceOf(ReplyException.class);
  }
}
