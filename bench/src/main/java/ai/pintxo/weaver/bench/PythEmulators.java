package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Pyth bench's outside world, in a JVM of its own: the Hermes emulator (N feeds, one update each
 * every interval) and the Vespa emulator, plus a plain Kafka consumer of the price topic. Both ends of
 * an update's trip are timed here, on one clock: from the Hermes emulator writing it to its stream to
 * the Vespa emulator accepting the document write (it answers right after), matched by (feed id,
 * publish time); the consumer times the first half (publish → readable in Kafka).
 *
 * <p>Args: broker, feeds, interval in ms. Prints {@code EMULATORS hermes-endpoint vespa-endpoint};
 * then on {@code measure S} measures S seconds and prints {@code ROUND {json}}; ends when its standard
 * input closes.
 */
final class PythEmulators {

  private final Map<String, Long> emitted = new ConcurrentHashMap<>();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final Latencies toVespa = new Latencies();
  private final Latencies toKafka = new Latencies();

  private PythEmulators() {
  }

  private static PrintStream out;

  public static void main(String[] args) throws Exception {
    out = ChildOutput.protocol();
    new PythEmulators().run(args[0], Integer.parseInt(args[1]), Long.parseLong(args[2]));
    System.exit(0);
  }

  private void run(String broker, int feeds, long intervalMillis) throws Exception {
    Vertx vertx = Vertx.vertx();
    VespaEmulator vespa = VespaEmulator.start(vertx, new VespaEmulatorOptions())
        .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    vespa.onWrite((type, id, fields) -> {
      if (type.equals("price")) {
        long now = System.nanoTime();
        Long at = emitted.remove(fields.path("feed_id").path("assign").asText() + "@" + fields.path("publish_time").path("assign").asLong());
        if (at != null && measuring.get()) {
          toVespa.add(now - at);
        }
      }
    });
    HermesEmulator hermes = HermesEmulator.start(vertx, HermesEmulator.generatedFeeds(feeds), intervalMillis, 0)
        .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES)
        .publishTimePerUpdate(true)
        .onEmission((feed, publishTime) -> emitted.put(feed + "@" + publishTime, System.nanoTime()));
    Thread watch = new Thread(() -> watchKafka(broker), "pyth-bench-kafka-watch");
    watch.setDaemon(true);
    watch.start();
    out.println("EMULATORS " + hermes.endpoint() + " " + vespa.endpoint());
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("measure ")) {
        out.println("ROUND " + measure(hermes, Integer.parseInt(line.substring(8).trim())).encode());
        out.flush();
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private JsonObject measure(HermesEmulator hermes, int seconds) throws InterruptedException {
    toVespa.clear();
    toKafka.clear();
    long events0 = hermes.eventsSent();
    long wall0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long wall = System.nanoTime() - wall0;
    long[] vespa = toVespa.sorted();
    long[] kafka = toKafka.sorted();
    return new JsonObject().put("updates", vespa.length).put("updatesPerSecond", Math.round(vespa.length / (wall / 1e9)))
        .put("streamEvents", hermes.eventsSent() - events0)
        .put("p50Ms", Latencies.ms(Latencies.percentile(vespa, 0.50))).put("p90Ms", Latencies.ms(Latencies.percentile(vespa, 0.90)))
        .put("p99Ms", Latencies.ms(Latencies.percentile(vespa, 0.99))).put("maxMs", Latencies.ms(vespa.length == 0 ? 0 : vespa[vespa.length - 1]))
        .put("toKafkaUpdates", kafka.length)
        .put("toKafkaP50Ms", Latencies.ms(Latencies.percentile(kafka, 0.50))).put("toKafkaP99Ms", Latencies.ms(Latencies.percentile(kafka, 0.99)))
        .put("wallSeconds", wall / 1e9);
  }

  private void watchKafka(String broker) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", broker);
    config.put("group.id", "pyth-bench-watch");
    config.put("auto.offset.reset", "latest");
    config.put("fetch.max.wait.ms", "10");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(PythPrice.TOPIC.name()));
      while (!Thread.currentThread().isInterrupted()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          PythPrice price = PythPrice.TOPIC.decode(record.value(), record.partition(), record.offset());
          Long at = emitted.get(price.feedId() + "@" + price.publishTime());
          if (at != null && measuring.get()) {
            toKafka.add(now - at);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // stopping
    }
  }

  /** Latencies in nanoseconds, added from any thread, sorted once at the end of a round. */
  static final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized void clear() {
      size = 0;
    }

    synchronized long[] sorted() {
      long[] out = java.util.Arrays.copyOf(values, size);
      java.util.Arrays.sort(out);
      return out;
    }

    static long percentile(long[] sorted, double p) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double ms(long nanos) {
      return Math.round(nanos / 10_000.0) / 100.0;
    }
  }
}
