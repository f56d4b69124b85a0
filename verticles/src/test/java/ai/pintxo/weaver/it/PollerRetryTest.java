package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.poller.CronSchedule;
import ai.pintxo.weaver.poller.EndpointOptions;
import ai.pintxo.weaver.testkit.api.ApiBehaviour;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The poller's retries at the configuration's limit ({@code retries: 100}) against the emulator: the
 * backoff neither overflows nor spins. Its own pipeline, so the host's request budget is this test's
 * (the budget of a host is created by the first poller that calls it).
 */
class PollerRetryTest {

  static final ApiPayloads PAYLOADS = new ApiPayloads(17, Map.of("protocols", 5));
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static double failedCycles() {
    return pipeline.count("weaver.poll.cycles", "data_type", "protocols", "result", "failed");
  }

  @Test
  void aHundredRetriesBackOffWithinTheIntervalThenStop() throws InterruptedException {
    // retries: 100 from a 1 ms backoff: the old inline shift (1 ms << attempt) would wait 2^99 ms before the
    // last retry (and overflow from a 30 s backoff on); the capped backoff runs all 100 within seconds, never at once.
    pipeline.api.behave("protocols", ApiBehaviour.SERVER_ERROR);
    ApiPollerOptions options = pipeline.pollerOptions(List.of("protocols")).setRetries(100)
        .setRetryBackoff(Duration.ofMillis(1)).setDefaultInterval(Duration.ofMillis(50))
        .setDefaultRateLimit(new EndpointOptions.RateLimit(1_000, Duration.ofSeconds(1)));
    // A cron far away: the only cycles are the triggered one and its retries; the 50 ms interval caps the backoff.
    options.getEndpoints().forEach(e -> e.setCron(CronSchedule.parse("0 0 1 1 *")));
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + "protocols", new JsonObject());

    Await.until("the poll and its 100 retries", Duration.ofSeconds(60), () -> failedCycles() == 101, PollerRetryTest::failedCycles);
    Thread.sleep(500); // ten times the largest delay: a retry still scheduled would have run by now
    assertThat(pipeline.api.requests("protocols")).as("one poll and exactly 100 retries, then nothing").isEqualTo(101);
    assertThat(failedCycles()).isEqualTo(101);
    assertThat(pipeline.count("weaver.poll.failures", "data_type", "protocols", "reason", "http_500")).isEqualTo(101);
    // A 500 holds no payload to replay: each failed cycle is counted above and logged, none is dead-lettered.
    assertThat(pipeline.probe.count(Protocol.TOPIC.deadLetterTopic())).as("no dead letter for an error status").isZero();
  }
}
