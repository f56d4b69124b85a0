package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.poller.ApiHandlers;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.poller.CronSchedule;
import ai.pintxo.weaver.poller.EndpointOptions;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default endpoints file offline: every endpoint's host does not resolve, or refuses the
 * connection. Each poll and its retries fail before any payload came, so they are log lines and
 * {@code weaver.poll.failures}, and no dead-letter topic gets a record: nothing was lost, there is
 * nothing to replay.
 */
class OfflinePollTest {

  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(new ApiPayloads(29, Map.of()));
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void theDefaultEndpointsOfflineWriteNoDeadLetters() throws Exception {
    Path file = Path.of("..", "conf", "endpoints.json");
    List<EndpointOptions> endpoints = ApiPollerOptions.parseEndpointsFile(Buffer.buffer(Files.readAllBytes(file)), file.toString());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free, and nobody listens once it is closed
    }
    ApiPollerOptions options = pipeline.pollerOptions(List.of()).setRetries(1).setRetryBackoff(Duration.ofMillis(50))
        .setRequestTimeout(Duration.ofSeconds(3)); // bounds a name lookup that hangs as well
    Set<String> dataTypes = new LinkedHashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointOptions endpoint = endpoints.get(i);
      URI real = URI.create(endpoint.getEndpoint());
      String rest = real.getRawPath() + (real.getRawQuery() == null ? "" : "?" + real.getRawQuery());
      // Half the endpoints cannot be resolved, the other half are refused: the two ways of being offline.
      endpoint.setEndpoint((i % 2 == 0 ? "http://nonexistent.invalid" : "http://127.0.0.1:" + closedPort) + rest);
      endpoint.setCron(CronSchedule.parse("0 0 1 1 *")); // only the triggered polls and their retries
      options.addEndpoint(endpoint);
      dataTypes.add(endpoint.getDataType());
    }
    assertThat(endpoints).as("the default endpoints file").hasSizeGreaterThan(5);
    pipeline.deploy(() -> new ApiPollerVerticle(options));
    dataTypes.forEach(t -> pipeline.vertx.eventBus().request(ApiPollerVerticle.TRIGGER_ADDRESS + t, new JsonObject()));

    int expected = 2 * endpoints.size(); // each poll and its one retry
    Await.until("every poll and its retry failed", Duration.ofSeconds(60),
        () -> pipeline.count("weaver.poll.cycles", "result", "failed") == expected,
        () -> pipeline.count("weaver.poll.cycles", "result", "failed"));
    assertThat(pipeline.count("weaver.poll.failures")).as("the failures are counted").isEqualTo(expected);
    assertThat(pipeline.count("weaver.poll.failures", "reason", "refused")).as("the closed port").isEqualTo(2 * (endpoints.size() / 2));
    assertThat(pipeline.count("weaver.poll.cycles", "result", "ok")).isZero();
    for (String dataType : dataTypes) {
      String dlq = ApiHandlers.installed().forDataType(dataType).orElseThrow().topic().deadLetterTopic();
      assertThat(pipeline.probe.count(dlq)).as(dlq).isZero();
    }
    assertThat(pipeline.count("weaver.dead.letters")).isZero();
  }
}
