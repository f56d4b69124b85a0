package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.pipeline.UnitStatus;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline board (behind {@code /ready} and {@code /pipelines}) says when things go wrong:
 * a Vespa that refuses connections shows as the connector's unit backing off with the endpoint and
 * the cause, and keeps the process from being ready, in the board and in the log; when Vespa
 * answers again, the problem clears.
 */
class HealthTest {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Pipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    logs.start();
    root.addAppender(logs);
    pipeline = new Pipeline(new ApiPayloads(5, Map.of("chains", 20)));
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
    pipeline.close();
  }

  @Test
  void aVespaThatRefusesConnectionsShowsAsTheFeedersStateWithEndpointAndCause() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free again once closed: connecting is refused
    }
    String endpoint = "http://127.0.0.1:" + closedPort;
    pipeline.deploy(() -> new ApiPollerVerticle(pipeline.pollerOptions(List.of("chains"))
        .setCluster(new ClusterOptions().setPipeline("chains-poller"))));
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions()
        .setVespa(new VespaFeedOptions().setEndpoint(endpoint).setMinBackoff(Duration.ofMillis(20)).setMaxBackoff(Duration.ofMillis(200)))
        .setCluster(new ClusterOptions().setPipeline("engine"))));
    PipelineBoard board = PipelineBoard.of(pipeline.vertx);

    Await.until("the board names the refused endpoint", Duration.ofSeconds(60),
        () -> board.problems().stream().anyMatch(p -> p.contains("circuit open") && p.contains(endpoint) && p.contains("connection refused")),
        board::problems);
    Await.until("the connector's unit backs off with the cause", Duration.ofSeconds(10), () -> board.units("engine").stream()
        .anyMatch(u -> u.state() == UnitState.BACKING_OFF && u.detail() != null && u.detail().contains(endpoint)), () -> board.units("engine"));
    UnitStatus feed = board.units("engine").get(0);
    assertThat(feed.lastError()).contains("connection refused");
    assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("feed.circuit_open"))
        .as("the log names the endpoint and the cause").isNotEmpty()
        .allMatch(e -> e.getFormattedMessage().contains(endpoint) && e.getFormattedMessage().contains("connection refused"));
    // The poller's unit is healthy: only the feeder keeps the process from being ready.
    assertThat(board.units("chains-poller")).extracting(UnitStatus::state).containsOnly(UnitState.RUNNING);
    assertThat(board.problems()).hasSize(1);
  }

  @Test
  void theFeedersProblemClearsWhenVespaAnswers() {
    pipeline.deploy(() -> new ApiPollerVerticle(pipeline.pollerOptions(List.of("chains"))
        .setCluster(new ClusterOptions().setPipeline("chains-poller"))));
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions().setCluster(new ClusterOptions().setPipeline("engine"))));
    PipelineBoard board = PipelineBoard.of(pipeline.vertx);
    Await.until("20 chains in Vespa", Duration.ofSeconds(60), () -> pipeline.vespa.count("chain") >= 20,
        () -> pipeline.vespa.count("chain"));
    Await.until("nothing keeps the process from being ready", Duration.ofSeconds(10), () -> board.problems().isEmpty(), board::problems);
    assertThat(board.units("engine")).extracting(UnitStatus::state).containsOnly(UnitState.RUNNING);
    assertThat(board.units("chains-poller")).singleElement().satisfies(u -> {
      assertThat(u.lastEvent()).isNotNull();
      assertThat(u.lag().kind()).isEqualTo("poll-age");
      assertThat(u.lag().late()).isFalse();
    });
    // The same lag for Prometheus, for the alert rules in ops/.
    io.micrometer.core.instrument.Gauge lag = pipeline.registry.find("weaver.unit.lag").tags("pipeline", "chains-poller", "unit", "chains",
        "kind", "poll-age").gauge();
    assertThat(lag).as("weaver_unit_lag of the poller's unit").isNotNull();
    assertThat(lag.value()).isBetween(0.0, 120.0);
  }
}
