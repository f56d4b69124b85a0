package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.pipeline.UnitStatus;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pyth after its 2026 upgrade (issue 14): the API key from {@code PYTH_API_KEY}, streams the server closes
 * every 3 s, two providers of which one dies, and a feed that goes quiet. Hermes emulator → PythVerticle →
 * Kafka (embedded broker), and the connector → Vespa emulator for the stale mark.
 */
class PythProvidersTest {

  private static final long TICK_MILLIS = 200;

  private Pipeline pipeline;
  private HermesEmulator hermes;

  @BeforeEach
  void start() throws Exception {
    pipeline = new Pipeline(ApiPayloads.scaled(1, 0.001));
  }

  @AfterEach
  void stop() {
    pipeline.close();
  }

  /** @param endpoints none: the emulator as the single {@code endpoint} */
  private PythOptions options(List<HermesFeed> feeds, String pipelineName, String... endpoints) {
    Map<String, String> configured = HermesEmulator.symbolsById(feeds);
    PythOptions options = new PythOptions().setKafka(pipeline.kafkaOptions()).setFeeds(configured)
        .setConflationInterval(Duration.ZERO).setCluster(new ClusterOptions().setPipeline(pipelineName));
    return endpoints.length == 0 ? options.setEndpoint(hermes.endpoint()) : options.setEndpoints(List.of(endpoints));
  }

  @Test
  void theKeyComesFromPythApiKeyAndAMissingOrRefusedKeyStopsTheUnitWithOneClearReason() {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(3);
    hermes = pipeline.hermes(feeds, TICK_MILLIS).requireToken("k3y-from-env");
    PipelineBoard board = PipelineBoard.of(pipeline.vertx);

    pipeline.deploy(() -> new PythVerticle(options(feeds, "pyth-no-key"), Map.of()));
    UnitStatus missing = stoppedUnit(board, "pyth-no-key");
    assertThat(missing.reason()).isEqualTo("no Pyth API key: set PYTH_API_KEY (Hermes at 127.0.0.1:" + port() + " answered 401)");

    pipeline.deploy(() -> new PythVerticle(options(feeds, "pyth-wrong-key"), Map.of("PYTH_API_KEY", "not-the-key")));
    UnitStatus refused = stoppedUnit(board, "pyth-wrong-key");
    assertThat(refused.reason()).isEqualTo("Hermes at 127.0.0.1:" + port() + " refused the Pyth API key from PYTH_API_KEY (403)")
        .doesNotContain("not-the-key");
    assertThat(board.problems()).anySatisfy(p -> assertThat(p).startsWith("pyth-wrong-key/feeds-0: stopped: Hermes at"));
    long requests = hermes.requests();
    assertThat(pipeline.probe.count(PythPrice.TOPIC.name())).as("nothing streamed without the key").isZero();

    pipeline.deploy(() -> new PythVerticle(options(feeds, "pyth-key"), Map.of("PYTH_API_KEY", "k3y-from-env")));
    Await.until("prices with the key", Duration.ofSeconds(20), () -> pipeline.probe.count(PythPrice.TOPIC.name()) >= 10,
        () -> pipeline.probe.count(PythPrice.TOPIC.name()) + " prices");
    assertThat(board.units("pyth-key")).singleElement().satisfies(u -> assertThat(u.state()).isEqualTo(UnitState.RUNNING));
    // The refused units made no attempt after their refusal: the requests since were the keyed pipeline's (catalog and stream).
    assertThat(hermes.requests() - requests).isEqualTo(2);
    assertThat(board.units("pyth-no-key")).singleElement().satisfies(u -> assertThat(u.state()).isEqualTo(UnitState.STOPPED));
  }

  @Test
  void streamsClosedByTheServerEveryThreeSecondsAfterDeliveringLeaveNoFeedWithoutUpdatesForASecond() {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(10);
    hermes = pipeline.hermes(feeds, TICK_MILLIS).publishTimePerUpdate(true).maxStreamDuration(3_000);
    // Default stream options and request budget: the backoff would start at 0.5 s and double.
    String deployment = pipeline.deploy(() -> new PythVerticle(options(feeds, "pyth-closed"), Map.of()));
    Await.until("four server closes (a stream request each)", Duration.ofSeconds(25), () -> hermes.requests() >= 2 + 4,
        () -> hermes.requests() + " requests");
    pipeline.undeploy(deployment);

    Map<String, List<Long>> times = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : pipeline.probe.readAll(PythPrice.TOPIC.name())) {
      times.computeIfAbsent(PythPrice.TOPIC.decode(r.value(), r.partition(), r.offset()).feedId(), k -> new ArrayList<>()).add(r.timestamp());
    }
    assertThat(times).hasSize(10);
    long maxGap = 0;
    for (List<Long> t : times.values()) {
      t.sort(Comparator.naturalOrder());
      for (int i = 1; i < t.size(); i++) {
        maxGap = Math.max(maxGap, t.get(i) - t.get(i - 1));
      }
    }
    System.out.printf("pyth gaps: streams closed every 3 s after delivering, %d reconnects: longest update gap of a feed %d ms "
        + "(bound 1000 ms + the %d ms tick)%n", hermes.requests() - 2, maxGap, TICK_MILLIS);
    assertThat(maxGap).as("longest gap between a feed's records in Kafka (ms)").isLessThan(1_000 + TICK_MILLIS);
  }

  @Test
  void twoProvidersAtOnceAndOneKilledMidRunLeaveNoPublishTimeMissingInKafka() {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(5);
    hermes = pipeline.hermes(feeds, TICK_MILLIS).publishTimePerUpdate(true);
    HermesEmulator.Provider second = Await.result(hermes.addProvider());
    // The provider to be killed comes first: the catalog came from it, and its streams were delivering.
    String deployment = pipeline.deploy(() -> new PythVerticle(options(feeds, "pyth-two", second.endpoint(), hermes.endpoint()), Map.of()));
    Await.until("both providers stream", Duration.ofSeconds(15), () -> hermes.openStreams() == 2, () -> hermes.openStreams() + " streams");
    Await.until("prices", Duration.ofSeconds(15), () -> pipeline.probe.count(PythPrice.TOPIC.name()) >= 5 * 5,
        () -> pipeline.probe.count(PythPrice.TOPIC.name()) + " prices");
    Await.result(second.kill());
    long atKill = pipeline.probe.count(PythPrice.TOPIC.name());
    Await.until("prices after the kill", Duration.ofSeconds(15), () -> pipeline.probe.count(PythPrice.TOPIC.name()) >= atKill + 5 * 10,
        () -> pipeline.probe.count(PythPrice.TOPIC.name()) + " prices, " + atKill + " at the kill");
    UnitStatus unit = PipelineBoard.of(pipeline.vertx).units("pyth-two").get(0);
    assertThat(unit.state()).as("the other provider carries the unit").isEqualTo(UnitState.RUNNING);
    assertThat(unit.lastError()).as("the dead provider is named").contains("hermes@127.0.0.1:");
    pipeline.undeploy(deployment);

    Map<String, TreeSet<Long>> published = new HashMap<>();
    int records = 0;
    for (ConsumerRecord<byte[], byte[]> r : pipeline.probe.readAll(PythPrice.TOPIC.name())) {
      PythPrice p = PythPrice.TOPIC.decode(r.value(), r.partition(), r.offset());
      published.computeIfAbsent(p.feedId(), k -> new TreeSet<>()).add(p.publishTime());
      records++;
    }
    assertThat(published).hasSize(5);
    int total = 0;
    for (Map.Entry<String, TreeSet<Long>> e : published.entrySet()) {
      TreeSet<Long> t = e.getValue();
      assertThat(t.size()).as("publish times of %s from %d to %d, none missing", e.getKey(), t.first(), t.last())
          .isEqualTo(t.last() - t.first() + 1);
      total += t.size();
    }
    assertThat(records).as("each (feed, publish time) once, though both providers sent it").isEqualTo(total);
    assertThat(pipeline.count("weaver.pyth.updates", "result", "duplicate")).as("the second provider's copies").isPositive();
  }

  @Test
  void aFeedQuietPastItsMaxStalenessIsMarkedInItsDocumentTheMetricAndItsUnitOnce() throws InterruptedException {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(2);
    // Publish times follow the clock (whole seconds), as Hermes': a fresh feed's newest is at most ~1.2 s old.
    hermes = pipeline.hermes(feeds, TICK_MILLIS);
    HermesFeed quiet = feeds.get(0);
    PythOptions options = new PythOptions().setKafka(pipeline.kafkaOptions()).setEndpoint(hermes.endpoint())
        .setConflationInterval(Duration.ZERO).setCluster(new ClusterOptions().setPipeline("pyth-stale"))
        .setMaxStaleness(Duration.ofHours(1)) // the default for every feed…
        .addFeed(quiet.id(), quiet.symbol(), Duration.ofSeconds(2)) // …and this one's own
        .addFeed(feeds.get(1).id(), feeds.get(1).symbol(), null);
    pipeline.deploy(() -> new PythVerticle(options, Map.of()));
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions()));
    Await.until("both prices in Vespa", Duration.ofSeconds(20), () -> pipeline.vespa.ids("price").size() == 2,
        () -> pipeline.vespa.ids("price"));
    assertThat(pipeline.vespa.document("price", quiet.base()).orElseThrow().getBoolean("stale")).isFalse();

    hermes.pauseFeed(quiet.id());
    Thread.sleep(TICK_MILLIS * 2); // a tick that began before the pause has sent its update
    long lastPublished = hermes.latest(quiet.id()).orElseThrow().publishTime();
    Await.until("the quiet feed marked stale in Vespa", Duration.ofSeconds(15),
        () -> Boolean.TRUE.equals(pipeline.vespa.document("price", quiet.base()).orElseThrow().getBoolean("stale")),
        () -> pipeline.vespa.document("price", quiet.base()).orElseThrow().encode());
    JsonObject doc = pipeline.vespa.document("price", quiet.base()).orElseThrow();
    assertThat(doc.getLong("publish_time")).as("its last price, marked").isEqualTo(lastPublished);
    assertThat(pipeline.vespa.document("price", feeds.get(1).base()).orElseThrow().getBoolean("stale")).isFalse();
    Gauge gauge = pipeline.registry.find("weaver.pyth.stale.feeds").gauge();
    assertThat(gauge.value()).isEqualTo(1.0);
    UnitStatus unit = PipelineBoard.of(pipeline.vertx).units("pyth-stale").get(0);
    assertThat(unit.detail()).startsWith("stale: " + quiet.symbol() + " (last publish ").endsWith("maxStaleness 2 s)");
    assertThat(unit.toJson().getString("detail")).isEqualTo(unit.detail());

    long staleWrites = staleRecords(quiet.id());
    assertThat(staleWrites).as("one stale write").isEqualTo(1);
    Thread.sleep(1_500); // three more checks while it stays stale
    hermes.resumeFeed(quiet.id());
    Await.until("fresh again in Vespa", Duration.ofSeconds(15),
        () -> Boolean.FALSE.equals(pipeline.vespa.document("price", quiet.base()).orElseThrow().getBoolean("stale"))
            && pipeline.vespa.document("price", quiet.base()).orElseThrow().getLong("publish_time") > lastPublished,
        () -> pipeline.vespa.document("price", quiet.base()).orElseThrow().encode());
    assertThat(staleRecords(quiet.id())).as("still one stale write: checks while it stayed stale wrote nothing").isEqualTo(1);
    Await.until("the mark cleared", Duration.ofSeconds(5), () -> gauge.value() == 0.0, () -> gauge.value());
  }

  private long staleRecords(String feedId) {
    return pipeline.probe.readAll(PythPrice.TOPIC.name()).stream().map(r -> PythPrice.TOPIC.decode(r.value(), r.partition(), r.offset()))
        .filter(p -> p.feedId().equals(feedId) && p.stale()).count();
  }

  private int port() {
    return java.net.URI.create(hermes.endpoint()).getPort();
  }

  private static UnitStatus stoppedUnit(PipelineBoard board, String pipelineName) {
    Await.until(pipelineName + " stopped", Duration.ofSeconds(20),
        () -> board.units(pipelineName).size() == 1 && board.units(pipelineName).get(0).state() == UnitState.STOPPED,
        () -> board.units(pipelineName));
    return board.units(pipelineName).get(0);
  }
}
