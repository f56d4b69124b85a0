package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.net.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix's Vespa side (RELIABILITY.md): the connector feeds 60,000 updates of 15,000
 * documents with the feeder's default retry and circuit-breaker settings while Vespa is down, slow
 * (2 s per request), or behind a TCP proxy that drops every connection mid-request every 500 ms.
 * Each fault starts once a quarter of the records is acknowledged. Afterwards every document holds
 * the last value produced for it and nothing was dead-lettered; the time from the fault's end to the
 * first acknowledgement and to the last one is printed as the recovery time. Meanwhile the connector's
 * unit reports the records waiting as its consumer lag (where the fault stops the feed).
 *
 * <p>CI runs the short version (outage 5 s, slowness and drops 10 s); {@code -Dweaver.faults.full=true}
 * runs the lengths (outage 30 s, slowness 60 s, drops 30 s).
 */
class VespaFaultMatrixTest {

  static final int DOCUMENTS = 15_000;
  static final int UPDATES = 60_000;
  static final boolean FULL = Boolean.getBoolean("weaver.faults.full");

  Pipeline pipeline;

  @BeforeEach
  void start() throws Exception {
    pipeline = new Pipeline(new ApiPayloads(1, Map.of()));
  }

  @AfterEach
  void stop() {
    pipeline.close();
  }

  @Test
  void vespaDown() throws Exception {
    Duration length = Duration.ofSeconds(FULL ? 30 : 5);
    run("Vespa down " + length.toSeconds() + " s (connections closed on every request)", pipeline.vespa.endpoint(),
        () -> pipeline.vespa.faults().outage(length.toMillis()), length, () -> pipeline.vespa.faults().clear(), true);
  }

  @Test
  void vespaSlow() throws Exception {
    Duration length = Duration.ofSeconds(FULL ? 60 : 10);
    run("Vespa slow (2 s per request) for " + length.toSeconds() + " s", pipeline.vespa.endpoint(),
        () -> pipeline.vespa.faults().latency(2_000, 2_000), length, () -> pipeline.vespa.faults().clear(), true);
  }

  @Test
  void connectionsDroppedMidRequest() throws Exception {
    TcpProxy proxy = Await.result(TcpProxy.start(pipeline.vertx, "127.0.0.1", pipeline.vespa.port()));
    Duration length = Duration.ofSeconds(FULL ? 30 : 10);
    try {
      run("a TCP proxy drops every Vespa connection every 500 ms for " + length.toSeconds() + " s", proxy.url(),
          () -> proxy.dropEvery(500), length, proxy::stopDropping, false);
      assertThat(proxy.dropped()).as("connections the proxy cut").isPositive();
    } finally {
      Await.result(proxy.close());
    }
  }

  /** @param stalls whether nothing is acknowledged during the fault (records pile up in Kafka) */
  private void run(String fault, String endpoint, Runnable begin, Duration length, Runnable end, boolean stalls) throws Exception {
    pipeline.probe.createTopics(List.of(Token.TOPIC.name()), 4);
    List<byte[][]> records = new ArrayList<>(UPDATES);
    Map<String, String> last = new HashMap<>();
    for (int seq = 0; seq < UPDATES; seq++) {
      String id = "doc-" + (seq * 7919L % DOCUMENTS);
      records.add(new byte[][] {Token.TOPIC.keySerde().encode(id), Token.TOPIC.encode(new Token(id, "s", "v" + seq, null))});
      last.put(id, "v" + seq);
    }
    pipeline.probe.produce(Token.TOPIC.name(), records);
    // The feeder's defaults (backoff, circuit breaker), as a deployment has them: the recovery times are theirs.
    EngineConnectorOptions options = pipeline.connectorOptions().setTopics(List.of(Token.TOPIC.name()))
        .setVespa(new VespaFeedOptions().setEndpoint(endpoint));
    pipeline.deploy(() -> new EngineConnectorVerticle(options));

    Await.until("a quarter of the records acknowledged", Duration.ofSeconds(120), () -> acknowledged() >= UPDATES / 4.0, this::acknowledged);
    begin.run();
    Thread.sleep(length.toMillis()); // the fault's length is the scenario, not a wait for something to happen
    if (stalls) {
      // What an operator sees meanwhile: the connector's unit reports the records waiting in Kafka.
      Await.until("the connector's unit reports its consumer lag", Duration.ofSeconds(10), () -> unitLag() > 0, this::unitLag);
    }
    double before = acknowledged();
    end.run();
    long endedAt = System.nanoTime();
    Await.until("an acknowledgement after the fault", Duration.ofSeconds(120),
        () -> acknowledged() > before || acknowledged() >= UPDATES, this::acknowledged);
    long firstMillis = (System.nanoTime() - endedAt) / 1_000_000;
    Await.until("every record committed", Duration.ofSeconds(Long.getLong("weaver.faults.drainSeconds", 240)),
        () -> pipeline.probe.lag(options.getGroupId(), List.of(Token.TOPIC.name())) == 0,
        () -> "lag " + pipeline.probe.lag(options.getGroupId(), List.of(Token.TOPIC.name())) + ", acknowledged " + acknowledged()
            + ", " + gauges());
    long allMillis = (System.nanoTime() - endedAt) / 1_000_000;

    List<String> wrong = new ArrayList<>();
    last.forEach((id, value) -> {
      String stored = pipeline.vespa.document("tokens", id).map(d -> d.getString("name")).orElse(null);
      if (!value.equals(stored)) {
        wrong.add(id + " holds " + stored + ", last produced " + value);
      }
    });
    System.out.printf("fault matrix: %s: first acknowledgement %d ms after the fault ended, all %,d records acknowledged and committed "
        + "%d ms after it; %d documents wrong, %d dead letters, %.0f retries%n", fault, firstMillis, UPDATES, allMillis, wrong.size(),
        pipeline.probe.count(Token.TOPIC.deadLetterTopic()), pipeline.count("weaver.feed.retries"));
    assertThat(wrong).as("documents not holding the last value produced for them").isEmpty();
    assertThat(pipeline.vespa.count("tokens")).isEqualTo(DOCUMENTS);
    assertThat(pipeline.probe.count(Token.TOPIC.deadLetterTopic())).as("a fault of Vespa or the network is never dead-lettered").isZero();
    assertThat(acknowledged()).as("records acknowledged (some twice: at least once)").isGreaterThanOrEqualTo(UPDATES);
  }

  /** The feeder's and the connector's gauges, for a failure's message. */
  private String gauges() {
    Map<String, Double> values = new java.util.TreeMap<>();
    for (String name : List.of("weaver.feed.inflight", "weaver.feed.queued", "weaver.feed.inflight.limit", "weaver.feed.circuit.open",
        "weaver.connector.buffered.records", "weaver.connector.paused.partitions")) {
      values.put(name, pipeline.registry.find(name).gauges().stream().mapToDouble(g -> g.value()).sum());
    }
    return values.toString();
  }

  private double unitLag() {
    return PipelineBoard.of(pipeline.vertx).units("EngineConnectorVerticle").stream()
        .filter(u -> u.lag() != null).mapToDouble(u -> u.lag().value()).sum();
  }

  private double acknowledged() {
    return pipeline.count("weaver.documents.fed", "result", "ok");
  }
}
