package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.realtime.StreamOptions;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hermes emulator → PythVerticle → Kafka (embedded broker) → EngineConnectorVerticle → Vespa emulator. */
class PythToVespaTest {

  private static final Path ORIGINAL_LIST = Path.of("..", "conf", "pyth-price-feed-ids.json");

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

  private PythOptions options() {
    return new PythOptions().setKafka(pipeline.kafkaOptions()).setEndpoint(hermes.endpoint());
  }

  @Test
  void originalListStreamsEveryGoodIdAndReportsTheRejectedOnes() throws Exception {
    List<HermesFeed> catalog = HermesEmulator.feedsOf(Files.readAllBytes(ORIGINAL_LIST));
    assertThat(catalog).hasSize(313);
    HermesFeed hidden = catalog.stream().filter(f -> f.symbol().equals("Crypto.AAVE/USD")).findFirst().orElseThrow();
    hermes = pipeline.hermes(catalog, 400).hideFromStreams(hidden.id());

    PythVerticle pyth = new PythVerticle(options().setFeedsFile(ORIGINAL_LIST.toString()));
    pipeline.deploy(() -> pyth);
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions()));

    // Bases are the documents' ids; ETH and STETH are each listed under two symbols (the original's keying).
    Set<String> expectedBases = catalog.stream().filter(f -> !f.equals(hidden)).map(HermesFeed::base)
        .collect(Collectors.toCollection(TreeSet::new));
    Await.until("a price document for every streamed base", Duration.ofSeconds(60),
        () -> pipeline.vespa.ids("price").size() >= expectedBases.size(),
        () -> pipeline.vespa.ids("price").size() + " of " + expectedBases.size() + " price documents");
    assertThat(new TreeSet<>(pipeline.vespa.ids("price"))).isEqualTo(expectedBases);
    assertThat(pyth.rejectedFeeds()).containsExactlyInAnyOrder(
        "0x23199c2bcb1303f667e7331f41e89c12c5ac6d8cb9cf8ae02d692b0927e0681",
        "0x701223c92a39dbab065c4a7df3eac72f00f75eb78e8161c10c143dbc7",
        "0xc1da1b73d7f01e7ddd54b376a6eb29264d5397a4997cbac88f280094df8c72bcd",
        "0xab7347771135fc7daedf7abed96423877560c8d03725f3e5c87516774982a679c",
        hidden.id());

    JsonObject btc = pipeline.vespa.document("price", "BTC").orElseThrow();
    assertThat(btc.getString("symbol")).isEqualTo("BTC");
    assertThat(btc.getString("pyth_symbol")).isEqualTo("Crypto.BTC/USD");
    assertThat(btc.getString("price_decimal")).matches("\\d+\\.\\d{8}");
    assertThat(btc.getDouble("price")).isEqualTo(Double.parseDouble(btc.getString("price_decimal")));
    assertThat(btc.getLong("expo")).isEqualTo(-8L);
    assertThat(pipeline.count("weaver.pyth.feeds.rejected")).isEqualTo(5);
    assertThat(pipeline.count("weaver.dead.letters")).isZero();
  }

  @Test
  void updatesKeepFlowingThroughCloseErrorSilenceRateLimitAndRotationWithoutDuplicates() {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(20);
    // Streams live 2.5 s and are rotated after 1.5 s: a shortened 24-hour limit.
    hermes = pipeline.hermes(feeds, 100).publishTimePerUpdate(true).maxStreamDuration(2_500);
    Map<String, String> configured = HermesEmulator.symbolsById(feeds);
    PythVerticle pyth = new PythVerticle(options().setFeeds(configured).setMaxFeedsPerStream(10).setConflationInterval(Duration.ZERO)
        .setRequestBudget(1_000, Duration.ofSeconds(10))
        .setStream(new StreamOptions(Duration.ofMillis(1_000), Duration.ofMillis(1_500), Duration.ofMillis(50), Duration.ofMillis(1_000),
            Duration.ofSeconds(5), Duration.ofSeconds(2))));
    String deployment = pipeline.deploy(() -> pyth);
    LongSupplier inKafka = () -> pipeline.probe.count(PythPrice.TOPIC.name());

    flowsOn("at start", inKafka);
    hermes.closeStreams();
    flowsOn("after the server closed the streams", inKafka);
    hermes.errorStreams("Slow consumer");
    flowsOn("after an error event", inKafka);
    long requestsBeforeStall = hermes.requests();
    hermes.stall(2_500);
    Await.until("a reconnect while the stream is silent", Duration.ofSeconds(10), () -> hermes.requests() > requestsBeforeStall + 1,
        () -> "requests " + hermes.requests());
    flowsOn("after a silent stall", inKafka);

    hermes.rateLimit(1, 10_000, 2_000);
    hermes.closeStreams();
    Await.until("a 429", Duration.ofSeconds(10), () -> hermes.rateLimited() > 0, () -> "no 429 yet");
    hermes.rateLimit(Integer.MAX_VALUE, 10_000, 2_000);
    flowsOn("after the 429 lockout", inKafka);
    // Retry-After was honoured: a couple of refused attempts, not a storm.
    assertThat(hermes.rateLimited()).isLessThanOrEqualTo(6);
    flowsOn("after more rotations", inKafka);

    pipeline.undeploy(deployment);
    List<ConsumerRecord<byte[], byte[]>> records = pipeline.probe.readAll(PythPrice.TOPIC.name());
    Map<String, Long> perFeedAndTime = records.stream().map(r -> PythPrice.TOPIC.decode(r.value(), r.partition(), r.offset()))
        .collect(Collectors.groupingBy(p -> p.feedId() + "@" + p.publishTime(), Collectors.counting()));
    assertThat(perFeedAndTime.values()).as("records per (feed, publish time)").allMatch(n -> n == 1);
    assertThat(perFeedAndTime).hasSize(records.size());
    assertThat(records.stream().map(r -> PythPrice.TOPIC.decode(r.value(), r.partition(), r.offset()).feedId()).distinct().count()).isEqualTo(20);
    // Streams were rotated every 1.5 s (2 streams over ~10 s) besides the forced reconnects.
    assertThat(hermes.requests()).as("stream requests").isGreaterThanOrEqualTo(10);
  }

  @Test
  void nodeProviderAccessTokenIsSentInHeaderOrQuery() {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(3);
    hermes = pipeline.hermes(feeds, 100).publishTimePerUpdate(true).requireToken("s3cret");
    Map<String, String> configured = HermesEmulator.symbolsById(feeds);
    pipeline.deploy(() -> new PythVerticle(options().setFeeds(configured).setConflationInterval(Duration.ZERO).setAccessToken("s3cret")));
    LongSupplier inKafka = () -> pipeline.probe.count(PythPrice.TOPIC.name());
    flowsOn("with the token in the Authorization header", inKafka);
    // Another pipeline: with the same feeds in the same pipeline, the two would share (one stream in all).
    pipeline.deploy(() -> new PythVerticle(options().setFeeds(configured).setConflationInterval(Duration.ZERO).setAccessToken("s3cret")
        .setAccessTokenMode("query").setCluster(new ai.pintxo.weaver.cluster.ClusterOptions().setPipeline("pyth-query"))));
    Await.until("a second stream, with the token in the query", Duration.ofSeconds(15), () -> hermes.openStreams() == 2,
        () -> hermes.openStreams() + " streams open");
  }

  private static void flowsOn(String when, LongSupplier inKafka) {
    long before = inKafka.getAsLong();
    Await.until("price updates reaching Kafka " + when, Duration.ofSeconds(15), () -> inKafka.getAsLong() >= before + 100,
        () -> (inKafka.getAsLong() - before) + " new records");
  }
}
