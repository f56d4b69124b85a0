package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.poller.CronSchedule;
import ai.pintxo.weaver.testkit.api.ApiBehaviour;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The poller's limits against the emulator: a response that trickles is cut at {@code requestTimeout}
 * and retried, a 429 that lasts costs one poll at most {@code retries} extra requests, and a
 * response that breaks off after some of its records were produced says how many. Each test uses its own
 * data type, so the shared pipeline's counters and topics do not mix.
 */
class PollerLimitsTest {

  static final ApiPayloads PAYLOADS = new ApiPayloads(23, Map.of("stablecoins", 30, "protocols", 5, "chains", 40));
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static Pipeline pipeline;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final Logger pollerLog = (Logger) LoggerFactory.getLogger("ai.pintxo.weaver.poller.EndpointPoller");

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
    logs.start();
    pollerLog.addAppender(logs);
  }

  @AfterAll
  static void stop() {
    pollerLog.detachAppender(logs);
    pipeline.close();
  }

  private static double cycles(String dataType, String result) {
    return pipeline.count("weaver.poll.cycles", "data_type", dataType, "result", result);
  }

  /** @return the {@code poll.failed} lines of a data type, in order */
  private static List<ILoggingEvent> failedLines(String dataType) {
    synchronized (logs.list) {
      return logs.list.stream().filter(e -> e.getMessage().startsWith("poll.failed")
          && dataType.equals(value(e, "dataType").orElse(null))).toList();
    }
  }

  private static Optional<Object> value(ILoggingEvent event, String key) {
    return event.getKeyValuePairs() == null ? Optional.empty()
        : event.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> kv.value).findFirst();
  }

  @Test
  void aTricklingResponseFailsAtRequestTimeoutIsRetriedAndLaterPollsRun() {
    // 200 at once, then a byte every 100 ms: never idle, so only a limit on the whole response ends it.
    pipeline.api.trickle("stablecoins", 100);
    ApiPollerOptions options = pipeline.pollerOptions(List.of("stablecoins")).setRequestTimeout(Duration.ofSeconds(1))
        .setRetries(1).setRetryBackoff(Duration.ofMillis(50));
    options.getEndpoints().forEach(e -> e.setCron(CronSchedule.parse("0 0 1 1 *"))); // only triggered polls
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + "stablecoins", new JsonObject());

    Await.until("the poll and its retry timed out", TIMEOUT, () -> cycles("stablecoins", "failed") == 2,
        () -> cycles("stablecoins", "failed"));
    assertThat(pipeline.api.requests("stablecoins")).as("the poll and its one retry").isEqualTo(2);
    List<Long> times = pipeline.api.requestTimes("stablecoins");
    assertThat(Duration.ofNanos(times.get(1) - times.get(0))).as("the first request held on until its limit")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(pipeline.count("weaver.poll.failures", "data_type", "stablecoins", "reason", "timeout")).isEqualTo(2);
    List<ILoggingEvent> failed = failedLines("stablecoins");
    assertThat(failed).hasSize(2);
    assertThat(failed.get(0).getLevel()).as("a retry follows").isEqualTo(Level.WARN);
    assertThat(failed.get(1).getLevel()).as("the poll gave up").isEqualTo(Level.ERROR);
    assertThat(failed).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).contains("/stablecoins.llama.fi/stablecoins", "within 1000 ms (requestTimeout)", "bytes read");
      assertThat(value(e, "reason")).contains("timeout");
    });
    assertThat(pipeline.probe.count(Stablecoin.TOPIC.deadLetterTopic())).as("a timeout is retried, not dead-lettered").isZero();

    // The endpoint recovers: the next poll runs (a hung poll would make it skip) and produces everything.
    pipeline.api.behave("stablecoins", ApiBehaviour.NORMAL);
    pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + "stablecoins", new JsonObject());
    Await.until("the next poll worked", TIMEOUT, () -> cycles("stablecoins", "ok") == 1, () -> cycles("stablecoins", "ok"));
    assertThat(pipeline.probe.count(Stablecoin.TOPIC.name())).isEqualTo(30);
  }

  @Test
  void aLastingTooManyRequestsCostsAPollAtMostItsRetries() throws InterruptedException {
    // Before: 429 lockouts inside each attempt, then the whole attempt retried: 9 requests and 3 dead letters.
    pipeline.api.rateLimit("protocols", 1_000, 1);
    ApiPollerOptions options = pipeline.pollerOptions(List.of("protocols")).setRetries(2).setRetryBackoff(Duration.ofMillis(50));
    options.getEndpoints().forEach(e -> e.setCron(CronSchedule.parse("0 0 1 1 *")));
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + "protocols", new JsonObject());

    Await.until("the poll gave up", TIMEOUT, () -> cycles("protocols", "failed") >= 1, () -> pipeline.api.requests("protocols"));
    Thread.sleep(2_500); // longer than a lockout and a backoff: a further request would have been made by now
    assertThat(pipeline.api.requests("protocols")).as("one request and its two retries").isEqualTo(3);
    assertThat(cycles("protocols", "failed")).as("one failed cycle: the 429s used up its retries").isEqualTo(1);
    assertThat(pipeline.count("weaver.poll.rate_limited", "data_type", "protocols")).isEqualTo(3);
    assertThat(pipeline.count("weaver.poll.failures", "data_type", "protocols", "reason", "http_429")).isEqualTo(1);
    assertThat(pipeline.probe.count(Protocol.TOPIC.deadLetterTopic())).as("a 429 holds nothing to replay").isZero();
    assertThat(failedLines("protocols")).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(e.getFormattedMessage()).contains("/api.llama.fi/protocols", "HTTP 429");
    });
  }

  @Test
  void aTruncatedResponseSaysHowManyOfItsRecordsWereProduced() {
    // A small hold-back: the records before the cut are produced while the body is still being read.
    pipeline.api.behave("chains", ApiBehaviour.TRUNCATED_JSON);
    ApiPollerOptions options = pipeline.pollerOptions(List.of("chains")).setProduceBatch(2).setChangeOnly(false);
    pipeline.deploy(() -> new ApiPollerVerticle(options));

    Await.until("the poll failed", TIMEOUT, () -> failedLines("chains").size() == 1, () -> cycles("chains", "failed"));
    long produced = pipeline.probe.count(Chain.TOPIC.name());
    assertThat(produced).as("the records before the cut").isPositive().isLessThan(40);
    ILoggingEvent line = failedLines("chains").get(0);
    assertThat(value(line, "produced")).as("the log line counts what went to Kafka").contains((int) produced);
    assertThat(value(line, "deadLettered")).contains(true);
    assertThat(line.getFormattedMessage()).contains("not complete JSON", produced + " records of it were already sent");
    assertThat(pipeline.probe.count(Chain.TOPIC.deadLetterTopic())).as("the partial payload, to replay").isEqualTo(1);
  }
}
