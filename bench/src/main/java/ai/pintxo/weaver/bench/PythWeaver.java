package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.kafka.TopicProfile;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Pyth bench's weaver, in a JVM of its own: {@code PythVerticle} (no conflation) and the engine
 * connector, as a deployment runs them. Args: broker, Hermes endpoint, Vespa endpoint, feeds, profile
 * ({@code latency} or {@code throughput}: the price topic's, on both the source and the connector).
 * Prints {@code WEAVER started}, stops when its standard input closes.
 */
final class PythWeaver {

  private PythWeaver() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = ChildOutput.protocol();
    String broker = args[0];
    String hermes = args[1];
    String vespa = args[2];
    int feeds = Integer.parseInt(args[3]);
    TopicProfile profile = TopicProfile.valueOf(args[4].toUpperCase(java.util.Locale.ROOT));
    Vertx vertx = Vertx.vertx();
    List<HermesFeed> catalog = HermesEmulator.generatedFeeds(feeds); // the same list the emulator serves
    Map<String, String> configured = new HashMap<>();
    catalog.forEach(f -> configured.put(f.id(), f.symbol()));
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(broker);
    vertx.deployVerticle(new PythVerticle(new PythOptions().setKafka(kafka).setEndpoint(hermes).setFeeds(configured)
        .setConflationInterval(Duration.ZERO).setProfile(profile))).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    EngineConnectorOptions connector = new EngineConnectorOptions().setKafka(kafka).setVespa(new VespaFeedOptions().setEndpoint(vespa));
    connector.setTopics(List.of(PythPrice.TOPIC.name()));
    connector.setLatencyTopics(profile == TopicProfile.LATENCY ? List.of(PythPrice.TOPIC.name()) : List.of());
    vertx.deployVerticle(new EngineConnectorVerticle(connector)).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    out.println("WEAVER started");
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (in.readLine() != null) {
      // runs until the bench closes our standard input
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }
}
