package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DefiLlama's pools response (15,000 items, about 11 MB, the real shape) polled into Kafka by a
 * poller in a JVM whose heap cannot hold the response as a document tree: the same JVM settings
 * fail with OutOfMemoryError when the body is read whole into a tree, and succeed, producing every
 * pool, when the poller streams it. The poller's Vert.x warns of any event-loop task over 100 ms, and
 * a warning fails the test: streaming keeps each chunk's work small.
 */
class LargePayloadSmallHeapTest {

  /**
   * Small enough that an 11 MB body and its Jackson tree do not fit (the control run shows it); enough
   * for Vert.x, Kafka's producer and the records in flight. (The poller also passes with 24 MB.)
   */
  static final int HEAP_MB = 32;
  static final String HEAP = "-Xmx" + HEAP_MB + "m";

  @TempDir
  Path dir;

  @Test
  void fifteenThousandPoolsStreamThroughASmallHeap() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedKafka kafka = new EmbeddedKafka(Files.createDirectories(dir.resolve("kafka")), 0).start()) {
      ApiPayloads payloads = new ApiPayloads(21, Map.of("tokens", 1, "protocols", 1, "chains", 1, "bridges", 1,
          "stablecoins", 1, "volumes", 1, "daily_fees", 1, "daily_revenue", 1, "new_pools_zksync", 1));
      assertThat(payloads.size("pools")).isEqualTo(15_000);
      ApiEmulator api = Await.result(ApiEmulator.start(vertx, payloads, 0));
      String url = api.url("https://yields.llama.fi/pools");
      long bodyBytes = payloads.responseBytes("pools").length;
      assertThat(bodyBytes).as("the real size").isGreaterThan(10_000_000);

      Run tree = run("tree", url);
      assertThat(tree.output).as("the heap cannot hold the document tree: " + tree.output).contains("OutOfMemoryError");
      assertThat(tree.exitCode).isNotZero();

      Run poll = run("poll", url, kafka.bootstrapServers());
      assertThat(poll.exitCode).as(poll.output).isZero();
      assertThat(poll.output).contains("PRODUCED 15000");
      assertThat(poll.output).as("no event-loop task over %d ms while streaming the body", SmallHeapPollMain.MAX_EVENT_LOOP_MS)
          .doesNotContain("has been blocked");
      long peak = Long.parseLong(poll.output.replaceAll("(?s).*PEAK_HEAP (\\d+).*", "$1"));
      System.out.printf("streaming poller: peak heap %.1f MB (max %d MB) for a %.1f MB response%n", peak / 1e6, HEAP_MB, bodyBytes / 1e6);
      assertThat((long) HEAP_MB << 20).as("the heap is less than three times the response").isLessThan(3 * bodyBytes);
      assertThat(new KafkaProbe(kafka.bootstrapServers()).count(Pool.TOPIC.name())).isEqualTo(15_000);
    } finally {
      Await.result(vertx.close());
    }
  }

  private record Run(int exitCode, String output) {
  }

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + quietLogback(), "-cp", System.getProperty("java.class.path"),
        SmallHeapPollMain.class.getName()));
    command.addAll(List.of(args));
    Path log = dir.resolve(args[0] + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(args[0] + " run did not finish: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private Path quietLogback() throws IOException {
    Path config = dir.resolve("logback.xml");
    Files.writeString(config, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%level %logger{20} %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>""");
    return config;
  }
}
