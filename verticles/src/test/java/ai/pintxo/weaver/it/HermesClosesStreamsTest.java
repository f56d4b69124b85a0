package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.vespa.RecoveryClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault matrix (RELIABILITY.md): Hermes closes every stream, as it does at its time limit, while Pyth feeds
 * Vespa through the connector. After each close, measured from the close: the first price published on a
 * new stream written to Vespa, and every feed's price newer than at the close (the backlog drained). In
 * the end every feed's last published price is in Vespa. CI closes 3 times; {@code -Dweaver.faults.full=true} 10.
 */
class HermesClosesStreamsTest {

  private static final int CLOSES = Boolean.getBoolean("weaver.faults.full") ? 10 : 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

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

  @Test
  void everyClosedStreamIsReopenedAndEveryFeedsLastPriceReachesVespa() throws Exception {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(10);
    hermes = pipeline.hermes(feeds, 100).publishTimePerUpdate(true);
    Map<String, Long> emitted = hermes.latestEmissions(); // feed id → its latest publish time sent
    Map<String, String> configured = HermesEmulator.symbolsById(feeds);
    pipeline.deploy(() -> new PythVerticle(new PythOptions().setKafka(pipeline.kafkaOptions()).setEndpoint(hermes.endpoint())
        .setFeeds(configured).setConflationInterval(Duration.ofMillis(200)).setCluster(new ClusterOptions().setPipeline("prices"))));
    EngineConnectorOptions connector = pipeline.connectorOptions().setTopics(List.of(PythPrice.TOPIC.name()));
    pipeline.deploy(() -> new EngineConnectorVerticle(connector));
    Await.until("every feed's price in Vespa", TIMEOUT, () -> pipeline.vespa.ids("price").size() == feeds.size(),
        () -> pipeline.vespa.ids("price"));

    RecoveryClock clock = RecoveryClock.on(pipeline.vespa);
    List<Long> firsts = new ArrayList<>();
    List<Long> drains = new ArrayList<>();
    for (int i = 0; i < CLOSES; i++) {
      long requests = hermes.requests();
      hermes.closeStreams();
      clock.faultEnded(); // the fault is the close itself: the pipeline must reopen at once
      // Until the old streams are gone, prices may still be sent on them: what counts is published after.
      while (hermes.openStreams() > 0 && hermes.requests() == requests) {
        Thread.sleep(1);
      }
      Map<String, Long> atClose = new HashMap<>();
      feeds.forEach(f -> atClose.put(f.base(), emitted.getOrDefault(f.id(), -1L)));
      clock.arm((type, id, fields) -> {
        JsonNode published = RecoveryClock.field(fields, "publish_time");
        return type.equals("price") && published != null && published.asLong() > atClose.getOrDefault(id, Long.MAX_VALUE);
      });
      Await.until("every feed's price newer than at the close", TIMEOUT,
          () -> feeds.stream().allMatch(f -> publishTime(f.base()) > atClose.get(f.base())),
          () -> feeds.stream().map(f -> f.base() + " " + publishTime(f.base()) + "/" + atClose.get(f.base())).toList());
      clock.drained();
      System.out.println(clock.report("Hermes closed every stream (" + (i + 1) + " of " + CLOSES + ")"));
      firsts.add(clock.firstWrite().toMillis());
      drains.add(clock.backlogDrained().toMillis());
      Thread.sleep(500);
    }

    Map<String, Long> last = Map.copyOf(emitted);
    Await.until("every feed's last published price in Vespa", TIMEOUT,
        () -> feeds.stream().allMatch(f -> publishTime(f.base()) >= last.get(f.id())),
        () -> feeds.stream().map(f -> f.base() + " " + publishTime(f.base()) + "/" + last.get(f.id())).toList());
    System.out.printf("fault matrix: Hermes closed every stream %d times: first price of a new stream in Vespa after %s ms, "
        + "every feed fresh again after %s ms; %d stream requests%n", CLOSES, firsts, drains, hermes.requests());
    assertThat(hermes.requests()).as("a new stream request after each close").isGreaterThanOrEqualTo(1 + 1 + CLOSES);
    assertThat(pipeline.count("weaver.dead.letters")).isZero();
  }

  private long publishTime(String base) {
    return pipeline.vespa.document("price", base).map(d -> d.getLong("publish_time")).orElse(-1L);
  }
}
