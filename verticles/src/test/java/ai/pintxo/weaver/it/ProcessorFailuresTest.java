package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The three ways a record can fail before Vespa, on the real broker and the Vespa emulator: bytes
 * that do not decode ({@code decode}), a record the processor refuses with a permanent failure
 * ({@code process}, quiet: no stack trace), and a processor bug ({@code process}, loud: the
 * exception class in the dead letter, one stack trace for all its records, a counter per record).
 * Everything else is fed, and the dead-lettered records are committed.
 */
class ProcessorFailuresTest {

  private static final String TOPIC = "fragile-trades-topic";
  private static final int BUGS = 5;

  static Pipeline pipeline;
  static ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static Logger connectorLog = (Logger) LoggerFactory.getLogger(EngineConnectorVerticle.class);

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(new ApiPayloads(1, Map.of()));
    logs.start();
    connectorLog.addAppender(logs);
  }

  @AfterAll
  static void stop() {
    connectorLog.detachAppender(logs);
    pipeline.close();
  }

  @Test
  void refusedRecordsAreQuietBugsAreLoudAndUndecodableOnesAreDecodeFailures() {
    List<byte[][]> records = new ArrayList<>();
    for (String symbol : List.of("AAA", "BBB", "CCC")) {
      records.add(record(symbol, trade(symbol)));
    }
    for (int i = 0; i < BUGS; i++) {
      records.add(record("BOOM" + i, trade("BOOM" + i)));
    }
    records.add(record("empty-1", trade("")));
    records.add(record("empty-2", trade("")));
    records.add(record("garbage", "not json at all"));
    pipeline.probe.createTopics(List.of(TOPIC), 2);
    pipeline.probe.produce(TOPIC, records);

    EngineConnectorOptions options = pipeline.connectorOptions().addRecordTopic(TOPIC, FragileTrade.class.getName(), "trade");
    options.setTopics(List.of(TOPIC));
    pipeline.deploy(() -> new EngineConnectorVerticle(options));

    String dlq = TOPIC + ".dlq";
    Await.until("good records fed, the others dead-lettered", Duration.ofSeconds(60),
        () -> pipeline.vespa.count("trade") == 3 && pipeline.probe.count(dlq) == BUGS + 3,
        () -> pipeline.vespa.ids("trade") + ", dead letters: " + pipeline.probe.count(dlq));

    List<DeadLetter> letters = pipeline.probe.readAll(dlq).stream().map(r -> DeadLetter.fromHeaders(r.headers()).orElseThrow()).toList();
    List<DeadLetter> bugs = letters.stream().filter(l -> l.exception() != null).toList();
    assertThat(bugs).as("every record the processor failed on").hasSize(BUGS).allSatisfy(l -> {
      assertThat(l.stage()).isEqualTo("process");
      assertThat(l.exception()).isEqualTo(IllegalStateException.class.getName());
      assertThat(l.error()).contains("IllegalStateException", "exploded", TOPIC + "[");
      assertThat(l.origin().topic()).isEqualTo(TOPIC);
    });
    assertThat(letters).filteredOn(l -> l.exception() == null && l.stage().equals("process")).as("refused: no document id")
        .hasSize(2).allSatisfy(l -> {
          assertThat(l.error()).contains("cannot make a document of " + TOPIC + "[", "empty user-specific part");
          assertThat(l.origin().offset()).isNotNegative();
        });
    assertThat(letters).filteredOn(l -> l.stage().equals("decode")).as("bytes that are not JSON").hasSize(1)
        .allSatisfy(l -> assertThat(l.exception()).isNull());

    assertThat(pipeline.count("weaver.processor.failures", "topic", TOPIC, "exception", IllegalStateException.class.getName()))
        .as("each bug counted").isEqualTo(BUGS);
    assertThat(pipeline.count("weaver.dead.letters", "topic", TOPIC, "stage", "process")).isEqualTo(BUGS + 2);
    assertThat(pipeline.count("weaver.dead.letters", "topic", TOPIC, "stage", "decode")).isEqualTo(1);

    // Reported before their dead letters were written, so every failure is in the log by now.
    List<ILoggingEvent> traces = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR && e.getThrowableProxy() != null).toList();
    assertThat(traces).as("one stack trace for %d records with the same bug, none for refusals", BUGS).hasSize(1);
    assertThat(traces.get(0).getFormattedMessage()).startsWith("connector.processor_failed");
    assertThat(traces.get(0).getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());

    Await.until("dead-lettered records are committed too", Duration.ofSeconds(30),
        () -> pipeline.probe.lag(options.getGroupId(), List.of(TOPIC)) == 0,
        () -> pipeline.probe.lag(options.getGroupId(), List.of(TOPIC)));
  }

  private static String trade(String symbol) {
    return "{\"symbol\":\"" + symbol + "\",\"tradeId\":7,\"price\":1.5,\"quantity\":2,\"tradeTime\":1000,\"buyerIsMaker\":true}";
  }

  private static byte[][] record(String key, String value) {
    return new byte[][] {key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)};
  }
}
