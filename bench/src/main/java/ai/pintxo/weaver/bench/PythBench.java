package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.pyth.PythVerticle;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pyth end to end: the Hermes emulator streams N feeds updating every 400 ms (2.5 updates/s each)
 * → PythVerticle (no conflation) → Kafka (embedded broker) → EngineConnectorVerticle → Vespa
 * emulator. Latency is taken per update, from the moment the emulator wrote it to the stream to
 * the moment the Vespa emulator accepted the document write (it answers right after), matched by
 * (feed id, publish time). Everything runs in this one JVM, so the CPU figure covers the weaver
 * and the broker and both emulators: an upper bound for the weaver's own share.
 *
 * <p>{@code bin/bench-pyth [--feeds 300] [--warmup 15] [--seconds 60]}
 */
public final class PythBench {

  private PythBench() {
  }

  public static void main(String[] args) throws Exception {
    int feeds = 300;
    int warmupSeconds = 15;
    int seconds = 60;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--feeds" -> feeds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --feeds N --warmup S --seconds S)");
      }
    }
    Path dir = Files.createTempDirectory("weaver-bench-pyth-kafka");
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    Vertx vertx = Vertx.vertx();
    Map<String, Long> emitted = new ConcurrentHashMap<>();
    AtomicBoolean measuring = new AtomicBoolean();
    LongList latencies = new LongList();
    LongList kafkaLatencies = new LongList();
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      VespaEmulator vespa = await(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
      vespa.onWrite((type, id, fields) -> {
        if (!type.equals("price")) {
          return;
        }
        long now = System.nanoTime();
        String key = fields.path("feed_id").path("assign").asText() + "@" + fields.path("publish_time").path("assign").asLong();
        Long at = emitted.remove(key);
        if (at != null && measuring.get()) {
          synchronized (latencies) {
            latencies.add(now - at);
          }
        }
      });
      List<HermesFeed> catalog = HermesEmulator.generatedFeeds(feeds);
      HermesEmulator hermes = await(HermesEmulator.start(vertx, catalog, 400, 0))
          .publishTimePerUpdate(true)
          .onEmission((feed, publishTime) -> emitted.put(feed + "@" + publishTime, System.nanoTime()));
      Map<String, String> configured = new HashMap<>();
      catalog.forEach(f -> configured.put(f.id(), f.symbol()));
      KafkaOptions kafkaOptions = new KafkaOptions().setBootstrapServers(kafka.bootstrapServers());
      await(vertx.deployVerticle(new PythVerticle(new PythOptions().setKafka(kafkaOptions).setEndpoint(hermes.endpoint())
          .setFeeds(configured).setConflationInterval(Duration.ZERO))));
      EngineConnectorOptions connector = new EngineConnectorOptions().setKafka(kafkaOptions)
          .setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint()));
      connector.setTopics(List.of("pyth-price-topic"));
      await(vertx.deployVerticle(new EngineConnectorVerticle(connector)));

      // A plain consumer beside the connector tells how much of the latency is before Kafka.
      Map<String, Long> seenInKafka = new ConcurrentHashMap<>();
      Thread kafkaWatch = new Thread(() -> {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("group.id", "pyth-bench-watch");
        config.put("auto.offset.reset", "latest");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            config, new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
          consumer.subscribe(List.of("pyth-price-topic"));
          while (!Thread.currentThread().isInterrupted()) {
            for (var record : consumer.poll(Duration.ofMillis(100))) {
              long now = System.nanoTime();
              var price = ai.pintxo.weaver.codecs.pyth.PythPrice.TOPIC.decode(record.value(), record.partition(), record.offset());
              Long at = emitted.get(price.feedId() + "@" + price.publishTime());
              if (at != null && measuring.get()) {
                synchronized (kafkaLatencies) {
                  kafkaLatencies.add(now - at);
                }
              }
            }
          }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
          // stopping
        }
      }, "pyth-bench-kafka-watch");
      kafkaWatch.setDaemon(true);
      kafkaWatch.start();

      System.out.printf("pyth bench: %d feeds × 2.5 updates/s = %.0f updates/s, no conflation; warm-up %d s, measuring %d s%n",
          feeds, feeds * 2.5, warmupSeconds, seconds);
      Thread.sleep(warmupSeconds * 1000L);
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      long events0 = hermes.eventsSent();
      measuring.set(true);
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      long cpu = os.getProcessCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      long[] sorted;
      synchronized (latencies) {
        sorted = latencies.sorted();
      }
      long[] inKafka;
      synchronized (kafkaLatencies) {
        inKafka = kafkaLatencies.sorted();
      }
      kafkaWatch.interrupt();
      double rate = sorted.length / (wall / 1e9);
      JsonObject result = new JsonObject()
          .put("feeds", feeds).put("updates", sorted.length).put("updatesPerSecond", Math.round(rate))
          .put("streamEvents", hermes.eventsSent() - events0)
          .put("p50Ms", ms(percentile(sorted, 0.50))).put("p90Ms", ms(percentile(sorted, 0.90)))
          .put("p99Ms", ms(percentile(sorted, 0.99))).put("maxMs", ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]))
          .put("toKafkaP50Ms", ms(percentile(inKafka, 0.50))).put("toKafkaP99Ms", ms(percentile(inKafka, 0.99)))
          .put("cpuCores", Math.round(cpu / (double) wall * 1000) / 1000.0)
          .put("cpuMicrosPerUpdate", sorted.length == 0 ? 0 : Math.round(cpu / 1000.0 / sorted.length * 10) / 10.0);
      System.out.printf("updates measured %,d (%,.0f/s) | publish → Vespa p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms"
              + " | CPU %.2f cores of this JVM (weaver + broker + emulators), %.1f µs per update%n",
          sorted.length, rate, result.getDouble("p50Ms"), result.getDouble("p90Ms"), result.getDouble("p99Ms"), result.getDouble("maxMs"),
          result.getDouble("cpuCores"), result.getDouble("cpuMicrosPerUpdate"));
      System.out.printf("of which publish → readable in Kafka: p50 %.2f ms, p99 %.2f ms (%,d updates)%n",
          result.getDouble("toKafkaP50Ms"), result.getDouble("toKafkaP99Ms"), inKafka.length);
      System.out.println("RESULT " + result.encode());
      if (System.getenv("PYTH_BENCH_METRICS") != null) {
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("weaver.feed") || m.getId().getName().startsWith("weaver.connector"))
            .forEach(m -> System.out.println("METRIC " + m.getId().getName() + m.getId().getTags() + " " + m.measure()));
      }
      await(vertx.close());
    }
    System.exit(0);
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  /** A growable list of longs, to sort once at the end. */
  private static final class LongList {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] out = java.util.Arrays.copyOf(values, size);
      java.util.Arrays.sort(out);
      return out;
    }
  }
}
