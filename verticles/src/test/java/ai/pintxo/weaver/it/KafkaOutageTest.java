package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.pipeline.UnitStatus;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.realtime.RealtimeSourceOptions;
import ai.pintxo.weaver.realtime.RealtimeSourceVerticle;
import ai.pintxo.weaver.realtime.RealtimeStreamOptions;
import ai.pintxo.weaver.realtime.StreamOptions;
import ai.pintxo.weaver.realtime.Transport;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import ai.pintxo.weaver.testkit.vespa.RecoveryClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker stops for longer than the producers' delivery timeout and comes back on the same port and
 * data, while Pyth (SSE), a real-time trade stream (WebSocket) and the poller run with the connector
 * feeding Vespa: the sources pause instead of losing records, and afterwards Vespa has every feed's
 * latest price, every trade of the stream and the pools changed during the outage. Prints the recovery
 * time (RELIABILITY.md): from the broker's restart to the first document written to Vespa, and to every
 * record of the outage in Vespa.
 */
class KafkaOutageTest {

  private static final String TRADES = "sequenced-trades-topic";
  private static final String SYMBOL = "BTCUSDT";
  /**
   * Sends expire after 5 s: a 12 s outage makes every source see expired sends, not only slow acknowledgements.
   * A send to a topic the producer lost the metadata of (the broker's last answer before it stopped) fails after
   * the sources' {@code max.block.ms} of 5 s instead (KafkaClients.sourceProducer).
   */
  private static final Map<String, String> SHORT_DELIVERY = Map.of("delivery.timeout.ms", "5000", "request.timeout.ms", "2000",
      "linger.ms", "5");
  /** 12 s in CI; {@code -Dweaver.faults.full=true}: 30 s (the fault matrix's long version, RELIABILITY.md). */
  private static final Duration OUTAGE = Duration.ofSeconds(Boolean.getBoolean("weaver.faults.full") ? 30 : 12);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Pipeline pipeline;
  private HermesEmulator hermes;
  private TradeStreamEmulator trades;

  @BeforeEach
  void start() throws Exception {
    pipeline = new Pipeline(ApiPayloads.scaled(1, 0.001));
  }

  @AfterEach
  void stop() {
    if (trades != null) {
      Await.result(trades.close());
    }
    pipeline.close();
  }

  @Test
  void sourcesPauseWhileKafkaIsDownAndNothingIsLost() throws Exception {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(5);
    hermes = pipeline.hermes(feeds, 100).publishTimePerUpdate(true);
    Map<String, Long> emitted = hermes.latestEmissions(); // feed id → its latest publish time sent
    // 50 trades a second: about 1,000 over the outage, well within the sink's bound.
    trades = Await.result(TradeStreamEmulator.start(pipeline.vertx, List.of(SYMBOL), 20));

    KafkaOptions kafka = pipeline.kafkaOptions().setProperties(SHORT_DELIVERY);
    Map<String, String> configured = HermesEmulator.symbolsById(feeds);
    pipeline.deploy(() -> new PythVerticle(new PythOptions().setKafka(kafka).setEndpoint(hermes.endpoint()).setFeeds(configured)
        .setConflationInterval(Duration.ofMillis(200)).setCluster(new ClusterOptions().setPipeline("prices"))));
    pipeline.deploy(() -> new RealtimeSourceVerticle(new RealtimeSourceOptions().setKafka(kafka)
        .setCluster(new ClusterOptions().setPipeline("trades")).addStream(new RealtimeStreamOptions()
        .setName("trades").setTransport(Transport.WEBSOCKET).setUrl(trades.webSocketUrl())
        .setSubscribe(List.of("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":1}")).setRequiredField("/e")
        .setRecordClass(SequencedTrade.class.getName()).setTopic(TRADES)
        // A silent stream is dead after 2 s, unless it is silent because it is paused.
        .setStream(new StreamOptions(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(500),
            Duration.ofSeconds(5), Duration.ofSeconds(1))))));
    ApiPollerOptions poller = pipeline.pollerOptions(List.of("pools")).setKafka(kafka).setDefaultInterval(Duration.ofSeconds(2))
        .setStateTopic("outage-poller-state").setCluster(new ClusterOptions().setPipeline("pools"));
    pipeline.deploy(() -> new ApiPollerVerticle(poller));
    EngineConnectorOptions connector = pipeline.connectorOptions().addRecordTopic(TRADES, SequencedTrade.class.getName(), "trade");
    connector.setTopics(List.of(PythPrice.TOPIC.name(), Pool.TOPIC.name(), TRADES));
    pipeline.deploy(() -> new EngineConnectorVerticle(connector));

    int pools = pipeline.api.payloads().response("pools").get("data").size();
    Set<String> bases = feeds.stream().map(HermesFeed::base).collect(Collectors.toCollection(TreeSet::new));
    Await.until("prices, trades and pools in Vespa", TIMEOUT,
        () -> pipeline.vespa.ids("price").size() == bases.size() && pipeline.vespa.count("trade") > 20 && pipeline.vespa.count("pool") == pools,
        () -> pipeline.vespa.ids("price").size() + " prices, " + pipeline.vespa.count("trade") + " trades, "
            + pipeline.vespa.count("pool") + " pools");
    long firstTrade = tradeIds().first();

    long stoppedAt = System.nanoTime();
    long tradesAtStop = trades.lastTradeId(SYMBOL);
    pipeline.stopKafka();
    // Changed while Kafka is down: the next poll sends 3 records that cannot be acknowledged.
    pipeline.api.change("pools", doc -> {
      for (int i = 0; i < 3; i++) {
        ((ObjectNode) doc.get("data").get(i)).put("tvlUsd", 4321.5 + i);
      }
    });
    List<String> changedPools = List.of(0, 1, 2).stream()
        .map(i -> pipeline.api.payloads().response("pools").get("data").get(i).get("pool").asText()).toList();
    PipelineBoard board = PipelineBoard.of(pipeline.vertx);
    Await.until("every source paused by its unavailable sink, and a poll deferred", TIMEOUT,
        () -> pauses("pyth") > 0 && pauses("realtime") > 0 && pauses("api-poller") > 0 && pipeline.count("weaver.poll.deferred") > 0,
        () -> "pauses pyth " + pauses("pyth") + ", realtime " + pauses("realtime") + ", api-poller " + pauses("api-poller")
            + ", deferred polls " + pipeline.count("weaver.poll.deferred"));
    Await.until("the units reported paused", TIMEOUT, () -> states(board).size() == 3 && states(board).stream().allMatch(s -> s == UnitState.PAUSED),
        () -> states(board));
    long left = OUTAGE.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left); // the outage lasts OUTAGE in all; what is asserted comes after
    }
    long tradesBeforeRestart = trades.lastTradeId(SYMBOL);
    RecoveryClock clock = RecoveryClock.on(pipeline.vespa).arm((type, id, fields) -> true);
    pipeline.restartKafka();
    clock.faultEnded(); // the broker answers again

    Map<String, Long> latestAfterRestart = Map.copyOf(emitted);
    Await.until("every feed's price at least as new as when Kafka came back", TIMEOUT,
        () -> feeds.stream().allMatch(f -> publishTime(f.base()) >= latestAfterRestart.get(f.id())),
        () -> feeds.stream().map(f -> f.base() + " " + publishTime(f.base()) + "/" + latestAfterRestart.get(f.id())).toList());
    long lastTrade = trades.lastTradeId(SYMBOL);
    Await.until("every trade from the first to the last sent after the restart", TIMEOUT,
        () -> tradeIds().containsAll(range(firstTrade, lastTrade)),
        () -> missing(firstTrade, lastTrade));
    Await.until("the pools changed during the outage", TIMEOUT,
        () -> changedPools.stream().allMatch(id -> pipeline.vespa.document("pool", id)
            .map(d -> d.getDouble("tvlUsd") >= 4321.5).orElse(false)),
        () -> changedPools.stream().map(id -> pipeline.vespa.document("pool", id).map(d -> d.getValue("tvlUsd"))).toList());
    clock.drained(); // every record produced before, during and just after the outage is in Vespa
    System.out.println(clock.report("broker stopped " + OUTAGE.toSeconds() + " s and restarted"));

    Await.until("the units running again", TIMEOUT, () -> states(board).size() == 3 && states(board).stream().allMatch(s -> s == UnitState.RUNNING),
        () -> states(board));
    assertThat(tradesBeforeRestart - tradesAtStop).as("trades sent while Kafka was down").isGreaterThan(400);
    assertThat(trades.connections()).as("the paused stream was not taken for dead and reconnected").isEqualTo(1);
    assertThat(pipeline.count("weaver.sink.records", "result", "retried")).as("sends expired and were retried").isPositive();
    assertThat(pipeline.count("weaver.sink.records", "result", "failed")).isZero();
    assertThat(pipeline.count("weaver.dead.letters")).isZero();
    assertThat(pipeline.registry.find("kafka.producer.record.error.rate").meters()).as("producer metrics are bound").isNotEmpty();
  }

  private static List<UnitState> states(PipelineBoard board) {
    return List.of("prices", "trades", "pools").stream().flatMap(p -> board.units(p).stream()).map(UnitStatus::state).toList();
  }

  private double pauses(String source) {
    return pipeline.count("weaver.sink.pauses", "source", source, "reason", "unavailable");
  }

  private long publishTime(String base) {
    return pipeline.vespa.document("price", base).map(d -> d.getLong("publish_time")).orElse(-1L);
  }

  private TreeSet<Long> tradeIds() {
    return pipeline.vespa.ids("trade").stream().map(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  private String missing(long first, long last) {
    TreeSet<Long> have = tradeIds();
    List<Long> missing = range(first, last).stream().filter(id -> !have.contains(id)).toList();
    return missing.size() + " missing of " + (last - first + 1) + ": " + missing.stream().limit(20).toList();
  }
}
