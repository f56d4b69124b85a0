package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.substreams.pb.v1.Package;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.junit.BlockedThreadRecorder;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A real embedded broker, the Substreams emulator and a Vert.x instance with metrics, for the
 * substream's integration tests. Fails on close when an event loop was blocked.
 */
@SuppressWarnings("unchecked")
final class Harness implements AutoCloseable {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Path dir;
  final EmbeddedKafka kafka;
  final KafkaProbe probe;
  final Vertx vertx;
  SubstreamsEmulator emulator;
  private final BlockedThreadRecorder blocked = BlockedThreadRecorder.install();

  Harness(Path dir) {
    this.dir = dir;
    kafka = new EmbeddedKafka(dir.resolve("kafka"), 0).start();
    probe = new KafkaProbe(kafka.bootstrapServers());
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  SubstreamsEmulator emulator(SubstreamsEmulatorOptions options) {
    emulator = Await.result(SubstreamsEmulator.start(vertx, options));
    return emulator;
  }

  KafkaOptions kafkaOptions() {
    return new KafkaOptions().setBootstrapServers(kafka.bootstrapServers()).setTopicPartitions(2);
  }

  /** @return options for a substream of {@code pkg} against the emulator, fast backoff */
  SubstreamsOptions options(String name, Package pkg, String strategy, String outputModule, long stopBlock) {
    Path spkg = TestPackages.write(pkg, dir.resolve(name + ".spkg"));
    return new SubstreamsOptions().setName(name).setManifestUrl(spkg.toString()).setStrategy(strategy).setOutputModule(outputModule)
        .setEndpoint(emulator.endpoint()).setPlaintext(true).setStartBlock(0L).setStopBlock(stopBlock)
        .setCacheDir(dir.resolve("cache").toString()).setMinBackoff(Duration.ofMillis(50)).setMaxBackoff(Duration.ofMillis(500))
        .setKafka(kafkaOptions());
  }

  SubstreamsVerticle deploy(SubstreamsOptions options) {
    return deploy(options, Map.of());
  }

  SubstreamsVerticle deploy(SubstreamsOptions options, Map<String, String> env) {
    SubstreamsVerticle verticle = new SubstreamsVerticle(options, env);
    Await.result(vertx.deployVerticle(verticle, new DeploymentOptions()));
    return verticle;
  }

  /** Undeploys every verticle, as a process stopping would. */
  void undeployAll() {
    for (String id : vertx.deploymentIDs()) {
      Await.result(vertx.undeploy(id));
    }
  }

  /** @return the last committed cursor of a substream */
  Optional<SubstreamsCursor> cursor(String substream) {
    SubstreamsCursor last = null;
    for (ConsumerRecord<byte[], byte[]> r : probe.readAll(SubstreamsCursor.TOPIC.name())) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(substream)) {
        last = SubstreamsCursor.TOPIC.decode(r.value(), r.partition(), r.offset());
      }
    }
    return Optional.ofNullable(last);
  }

  List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    return probe.readAll(topic);
  }

  /**
   * Kafka writes a transaction's commit markers after {@code commitTransaction} returns, so a
   * read-committed reader may briefly see less: waits until at least {@code expected} records are visible.
   *
   * @return every visible record
   */
  List<ConsumerRecord<byte[], byte[]>> records(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>>[] last = new List[] {List.of()};
    Await.until(expected + " committed records in " + topic, Duration.ofSeconds(60), () -> (last[0] = probe.readAll(topic)).size() >= expected,
        () -> last[0].size());
    return last[0];
  }

  /** @return the substream's cursor once it has reached {@code block} (see {@link #records(String, int)}) */
  SubstreamsCursor cursorAt(String substream, long block) {
    Await.until("cursor of " + substream + " at block " + block, Duration.ofSeconds(60),
        () -> cursor(substream).map(c -> c.blockNumber() >= block).orElse(false), () -> cursor(substream));
    return cursor(substream).orElseThrow();
  }

  double count(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    try {
      Await.result(vertx.close());
    } finally {
      kafka.close();
      blocked.uninstall();
    }
    assertThat(blocked.warnings()).as("event loops blocked").isEmpty();
  }
}
