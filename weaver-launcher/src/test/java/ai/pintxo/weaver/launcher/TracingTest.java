package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.otlp.OtlpReceiver;
import ai.pintxo.weaver.testkit.otlp.ReceivedSpan;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One trace per record, from its source event to Vespa's acknowledgement, collected by the testkit's
 * OTLP receiver from a weaver exporting over OTLP/HTTP: for a polled record, a Pyth update and a
 * Substreams record, the source's span, the connector's span and the Vert.x HTTP client's span of the
 * Vespa request share one trace id across the Kafka hop, each the parent of the next, and the Vespa
 * span ends after the emulator answered. A document Vespa refuses is dead-lettered with the trace's
 * context, and the log line written meanwhile carries the trace id. Sampling at 0 sends nothing.
 */
class TracingTest {

  @TempDir
  Path dir;

  @Test
  void aTraceFollowsEachRecordFromItsSourceEventToVespasAcknowledgement() throws Exception {
    Vertx emulators = Vertx.vertx();
    LogCapture logs = LogCapture.attach();
    try {
      OtlpReceiver receiver = Await.result(OtlpReceiver.start(emulators, 0));
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(1, Map.of("chains", 5)), 0));
      List<HermesFeed> feeds = HermesEmulator.generatedFeeds(2);
      HermesEmulator hermes = Await.result(HermesEmulator.start(emulators, feeds, 200, 0));
      SubstreamsEmulator substreams = Await.result(SubstreamsEmulator.start(emulators, new SubstreamsEmulatorOptions()
          .setOutputs(Payloads.seaport(2, 10)).setBlocksPerSecond(20)));
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      // When the emulator accepted each write, before it answered: the Vespa span must end after that.
      Map<String, Long> writtenAt = new ConcurrentHashMap<>();
      vespa.onWrite((type, id, fields) -> writtenAt.putIfAbsent(type + "/" + id, epochNanos()));
      // One chain document is refused for good: its record is dead-lettered inside its trace.
      vespa.faults().reject("Solana"::equals, 400);

      Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve("pintxo-seaport.spkg"));
      JsonObject deployment = deployment(api, hermes, feeds, substreams, spkg, vespa)
          .put("tracing", new JsonObject().put("enabled", true).put("endpoint", receiver.endpoint()).put("exportDelay", "100ms"));
      Files.writeString(dir.resolve("deployment.json"), deployment.encodePrettily());
      Deployment loaded = Deployment.load(dir.resolve("deployment.json"), Map.of());
      try (WeaverRuntime runtime = new WeaverRuntime(loaded.tracing(), Map.of())) {
        runtime.start(loaded);
        Await.until("a complete trace for a polled record, a Pyth update and a Substreams record", Duration.ofSeconds(90),
            () -> complete(receiver, "poll chains").isPresent() && complete(receiver, "pyth prices").isPresent()
                && complete(receiver, "substreams block").isPresent(),
            () -> receiver.spans().stream().map(ReceivedSpan::name).distinct().toList());

        for (String source : List.of("poll chains", "pyth prices", "substreams block")) {
          List<ReceivedSpan> trace = complete(receiver, source).orElseThrow();
          System.out.println("trace of one " + source + " record:");
          trace.forEach(s -> System.out.println("  " + s));
          ReceivedSpan root = trace.get(0);
          ReceivedSpan process = trace.stream().filter(s -> s.name().startsWith("process ") && s.parentSpanId().equals(root.spanId()))
              .findFirst().orElseThrow();
          ReceivedSpan request = trace.stream().filter(s -> s.name().startsWith("vespa ") && s.parentSpanId().equals(process.spanId()))
              .findFirst().orElseThrow();
          assertThat(root.root()).as(source + ": the source event starts the trace").isTrue();
          assertThat(root.kind()).isEqualTo("SPAN_KIND_PRODUCER");
          assertThat(root.service()).isEqualTo("pintxo-data-weaver");
          assertThat(process.kind()).as("the connector continues it after the Kafka hop").isEqualTo("SPAN_KIND_CONSUMER");
          assertThat(process.attributes()).containsKey("messaging.kafka.message.offset").containsKey("weaver.document");
          assertThat(request.kind()).as("the Vert.x HTTP client's span of the Vespa request").isEqualTo("SPAN_KIND_CLIENT");
          assertThat(request.traceId()).isEqualTo(root.traceId()).isEqualTo(process.traceId());
          String document = process.attributes().get("weaver.document"); // id:<namespace>:<type>::<id>
          String[] parts = document.split(":", 5);
          assertThat(request.attributes().get("url.full")).as("the request under a record's span is that record's document")
              .contains("/" + parts[2] + "/docid/");
          Long written = writtenAt.get(parts[2] + "/" + parts[4]);
          assertThat(written).as("the emulator wrote " + document).isNotNull();
          assertThat(request.endNanos()).as("the Vespa span ends after the emulator answered").isGreaterThan(written);
          // The record's span ends when the feeder saw the answer; Vert.x ends the request's span when it is done
          // with the response, a moment before or after: both come after the emulator's write.
          assertThat(process.endNanos()).as("the record's span ends at the acknowledgement").isGreaterThan(written);
          assertThat(process.startNanos()).as("processing follows the source event").isGreaterThanOrEqualTo(root.startNanos());
        }

        // The refused document: dead-lettered with the trace's context, logged with its trace id.
        Await.until("the refused chain's dead letter", Duration.ofSeconds(30), () -> !deadLetters(runtime).isEmpty(), vespa::counts);
        ConsumerRecord<byte[], byte[]> letter = deadLetters(runtime).get(0);
        assertThat(header(letter, DeadLetter.STAGE)).isEqualTo("feed");
        String traceparent = header(letter, "traceparent");
        assertThat(traceparent).as("the dead letter keeps the trace context").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String traceId = traceparent.split("-")[1];
        Await.until("the refused record's trace", Duration.ofSeconds(10),
            () -> receiver.trace(traceId).stream().anyMatch(s -> s.name().startsWith("process ") && s.status().equals("STATUS_CODE_ERROR")),
            () -> receiver.trace(traceId));
        assertThat(receiver.trace(traceId)).as("the dead letter's trace starts at its poll").anyMatch(s -> s.name().equals("poll chains"));
        assertThat(logs.lines()).as("the dead letter's log line carries its trace id")
            .anyMatch(l -> l.contains("record.dead_lettered") && l.contains("trace_id=\"" + traceId + "\""));
      }
    } finally {
      logs.detach();
      Await.result(emulators.close());
    }
  }

  @Test
  void samplingAtZeroSendsNothing() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      OtlpReceiver receiver = Await.result(OtlpReceiver.start(emulators, 0));
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(1, Map.of("chains", 5)), 0));
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      JsonObject deployment = new JsonObject()
          .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka-data").put("port", 0)))
          .put("admin", new JsonObject().put("port", 0))
          .put("tracing", new JsonObject().put("enabled", true).put("endpoint", receiver.endpoint()).put("exportDelay", "100ms")
              .put("sampleRatio", 0))
          .put("verticles", new JsonArray().add(SourceEntries.chainsPoller(api)).add(SourceEntries.connector(vespa, "chains-api-topic")));
      Files.writeString(dir.resolve("deployment.json"), deployment.encodePrettily());
      Deployment loaded = Deployment.load(dir.resolve("deployment.json"), Map.of());
      try (WeaverRuntime runtime = new WeaverRuntime(loaded.tracing(), Map.of())) {
        runtime.start(loaded);
        Await.until("chains in Vespa", Duration.ofSeconds(60), () -> vespa.count("chain") == 5, vespa::counts);
      } // closing flushes whatever the exporter still holds
      assertThat(receiver.spans()).as("spans exported at a sampling ratio of 0").isEmpty();
      assertThat(receiver.exports()).isZero();
    } finally {
      Await.result(emulators.close());
    }
  }

  @Test
  void tracingIsOnlyOnWhenTheConfigOrTheEnvironmentAsksForIt() {
    TracingOptions off = new TracingOptions();
    assertThat(Telemetry.wanted(off, Map.of())).isFalse();
    assertThat(Telemetry.wanted(new TracingOptions().setEnabled(true), Map.of())).isTrue();
    assertThat(Telemetry.wanted(off, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isTrue();
    assertThat(Telemetry.wanted(off, Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
    assertThat(Telemetry.wanted(new TracingOptions().setEnabled(true), Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
    assertThat(Telemetry.wanted(new TracingOptions().setEnabled(true), Map.of("OTEL_SDK_DISABLED", "true"))).isFalse();
  }

  /** @return the first trace started by {@code source} that reached a Vespa request, in start order */
  private static Optional<List<ReceivedSpan>> complete(OtlpReceiver receiver, String source) {
    return receiver.traces().values().stream()
        .filter(t -> t.stream().anyMatch(s -> s.name().equals(source) && s.root()))
        .filter(t -> t.stream().anyMatch(s -> s.name().startsWith("vespa ") && s.status().equals("STATUS_CODE_UNSET")))
        .filter(t -> t.stream().anyMatch(s -> s.name().startsWith("process ")))
        .map(t -> t.stream().sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList())
        .findFirst();
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLetters(WeaverRuntime runtime) {
    Map<String, Object> config = Map.of("bootstrap.servers", runtime.deployment().kafka().getBootstrapServers(),
        "group.id", "tracing-test-" + System.nanoTime(), "auto.offset.reset", "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (!consumer.listTopics(Duration.ofSeconds(5)).containsKey("chains-api-topic.dlq")) {
        return List.of();
      }
      consumer.subscribe(List.of("chains-api-topic.dlq"));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private JsonObject deployment(ApiEmulator api, HermesEmulator hermes, List<HermesFeed> feeds, SubstreamsEmulator substreams,
                                Path spkg, VespaEmulator vespa) {
    return new JsonObject()
        .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka-data").put("port", 0)))
        .put("admin", new JsonObject().put("port", 0))
        .put("verticles", new JsonArray()
            .add(SourceEntries.chainsPoller(api))
            .add(SourceEntries.pyth(hermes, feeds))
            .add(SourceEntries.seaport(substreams, spkg, dir.resolve("spkg-cache")))
            .add(SourceEntries.connector(vespa, "chains-api-topic", "pyth-price-topic", PintxoMetric.TOPIC.name())));
  }

  /** Log lines as written, with {@code %traceId} rendered on the logging thread (where the span is current). */
  static final class LogCapture extends AppenderBase<ILoggingEvent> {
    private final TraceIdConverter traceId = new TraceIdConverter();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    static LogCapture attach() {
      LogCapture capture = new LogCapture();
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      capture.setContext(root.getLoggerContext());
      capture.start();
      root.addAppender(capture);
      return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getFormattedMessage() + traceId.convert(event));
    }

    List<String> lines() {
      return lines;
    }

    void detach() {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
      stop();
    }
  }
}
