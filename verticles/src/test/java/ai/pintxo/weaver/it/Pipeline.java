package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.EndpointOptions;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.junit.BlockedThreadRecorder;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A whole pipeline for integration tests: a real embedded broker on a fresh directory, the API
 * emulator, the Vespa emulator, and a Vert.x instance with metrics, to deploy the verticles on.
 */
final class Pipeline implements AutoCloseable {

  /** The data types of the original endpoints file and of the endpoints it was preparing, with their real endpoints. */
  static final Map<String, String> ENDPOINTS = Map.of(
      "protocols", "https://api.llama.fi/protocols",
      "chains", "https://api.llama.fi/v2/chains",
      "bridges", "https://bridges.llama.fi/bridges?includeChains=true",
      "pools", "https://yields.llama.fi/pools",
      "stablecoins", "https://stablecoins.llama.fi/stablecoins?includePrices=true",
      "tokens", "https://api.coingecko.com/api/v3/coins/list",
      "volumes", "https://api.llama.fi/overview/dexs?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true&dataType=totalVolume",
      "daily_fees", "https://api.llama.fi/overview/fees?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true&dataType=dailyFees",
      "daily_revenue", "https://api.llama.fi/overview/fees?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true&dataType=dailyRevenue",
      "new_pools_zksync", "https://api.geckoterminal.com/api/v2/networks/zksync/new_pools?include=base_token%2C%20quote_token%2C%20dex");

  final MeterRegistry registry = new SimpleMeterRegistry();
  final Vertx vertx;
  EmbeddedKafka kafka;
  final KafkaProbe probe;
  final VespaEmulator vespa;
  final ApiEmulator api;
  private final BlockedThreadRecorder blocked = BlockedThreadRecorder.install();
  private final List<HermesEmulator> hermes = new ArrayList<>();

  Pipeline(ApiPayloads payloads) throws Exception {
    Path dir = Files.createTempDirectory("weaver-it-kafka");
    kafka = new EmbeddedKafka(dir, 0).start();
    probe = new KafkaProbe(kafka.bootstrapServers());
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
    api = Await.result(ApiEmulator.start(vertx, payloads, 0));
  }

  /**
   * Starts a Hermes emulator on the pipeline's Vert.x, closed with the pipeline.
   *
   * @param updateMillis every feed updates this often
   */
  HermesEmulator hermes(List<HermesFeed> feeds, long updateMillis) {
    HermesEmulator emulator = Await.result(HermesEmulator.start(vertx, feeds, updateMillis, 0));
    hermes.add(emulator);
    return emulator;
  }

  /** Stops the broker; {@link #restartKafka()} brings it back on the same directory and port. */
  void stopKafka() {
    kafka.close();
  }

  /** Starts the broker again on the directory and port it had: clients reconnect to the same address. */
  void restartKafka() {
    String bootstrap = kafka.bootstrapServers();
    kafka = new EmbeddedKafka(kafka.dataDir(), Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1))).start();
  }

  KafkaOptions kafkaOptions() {
    return new KafkaOptions().setBootstrapServers(kafka.bootstrapServers());
  }

  ApiPollerOptions pollerOptions(List<String> dataTypes) {
    ApiPollerOptions options = new ApiPollerOptions().setKafka(kafkaOptions())
        .setDefaultInterval(Duration.ofHours(1)).setRetries(0);
    for (String dataType : dataTypes) {
      options.addEndpoint(new EndpointOptions().setDataType(dataType).setEndpoint(api.url(ENDPOINTS.get(dataType))));
    }
    return options;
  }

  EngineConnectorOptions connectorOptions() {
    return new EngineConnectorOptions().setKafka(kafkaOptions())
        .setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint()).setMinBackoff(Duration.ofMillis(20))
            .setMaxBackoff(Duration.ofMillis(500)))
        .setCommitInterval(Duration.ofMillis(200));
  }

  String deploy(Supplier<? extends Deployable> verticle) {
    return Await.result(vertx.deployVerticle(verticle, new DeploymentOptions()));
  }

  void undeploy(String id) {
    Await.result(vertx.undeploy(id));
  }

  /** @return the sum of a counter over all tag values matching the given tags */
  double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Fails when an event loop was blocked while the pipeline ran. */
  @Override
  public void close() {
    try {
      hermes.forEach(emulator -> Await.result(emulator.close()));
      Await.result(vertx.close());
    } finally {
      kafka.close();
      blocked.uninstall();
    }
    assertThat(blocked.warnings()).as("event loops blocked while the pipeline ran").isEmpty();
  }
}
