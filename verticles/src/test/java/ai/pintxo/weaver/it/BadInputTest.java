package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.testkit.api.ApiBehaviour;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An endpoint answering HTML, one truncated JSON, one 500, an item with a wrong field type,
 * records on the topic that do not decode, and a document Vespa refuses: each that holds a payload
 * lands in its dead-letter topic with the reason (the 500 holds none: it is counted and retried), the
 * counters show it, and everything else flows on.
 */
class BadInputTest {

  static final ApiPayloads PAYLOADS = new ApiPayloads(5, Map.of("tokens", 200, "protocols", 30, "chains", 20, "bridges", 10,
      "stablecoins", 15, "pools", 100));
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void badInputIsDeadLetteredCountedAndTheRestFlows() {
    pipeline.api.behave("protocols", ApiBehaviour.HTML).behave("chains", ApiBehaviour.TRUNCATED_JSON)
        .behave("bridges", ApiBehaviour.SERVER_ERROR).behave("pools", ApiBehaviour.WRONG_FIELD_TYPE);
    pipeline.vespa.faults().reject(id -> id.equals("coin-6"), 400).reject(id -> id.equals("coin-7"), 412)
        .reject(id -> id.equals("coin-8"), 413);
    pipeline.probe.createTopics(List.of(Token.TOPIC.name()), 4);
    pipeline.probe.produce(Token.TOPIC.name(), List.of(
        new byte[][] {"x".getBytes(StandardCharsets.UTF_8), "{\"id\":\"x\",\"name\":42}".getBytes(StandardCharsets.UTF_8)},
        new byte[][] {"y".getBytes(StandardCharsets.UTF_8), "not json at all".getBytes(StandardCharsets.UTF_8)}));

    ApiPollerOptions poller = pipeline.pollerOptions(PAYLOADS.dataTypes()).setRetries(1).setRetryBackoff(Duration.ofMillis(50));
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions()));
    pipeline.deploy(() -> new ApiPollerVerticle(poller));

    Await.until("good records fed", Duration.ofSeconds(90),
        () -> pipeline.vespa.count("tokens") == 197 && pipeline.vespa.count("pool") == 99 && pipeline.vespa.count("stablecoin") == 15
            && pipeline.probe.count(Token.TOPIC.deadLetterTopic()) == 5 && pipeline.count("weaver.poll.failures", "reason", "http_500") == 2,
        () -> pipeline.vespa.counts());
    assertThat(pipeline.vespa.counts()).as("nothing from the broken endpoints").doesNotContainKeys("protocol", "chain", "bridge");
    assertThat(pipeline.vespa.document("tokens", "coin-6")).isEmpty();

    DeadLetter html = only(Protocol.TOPIC.deadLetterTopic(), record ->
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>"));
    assertThat(html.stage()).isEqualTo("poll");
    assertThat(html.error()).contains("api.llama.fi/protocols", "not complete JSON");
    assertThat(html.origin().topic()).contains("api.llama.fi/protocols");

    DeadLetter truncated = only(Chain.TOPIC.deadLetterTopic(), record -> { });
    assertThat(truncated.error()).contains("not complete JSON");

    // The 500 and its one retry: counted (http_500 below) and logged, but an error status holds nothing to replay.
    assertThat(pipeline.probe.count(Bridge.TOPIC.deadLetterTopic())).as("no dead letter for an error status").isZero();
    assertThat(pipeline.count("weaver.poll.cycles", "data_type", "bridges", "result", "failed")).isEqualTo(2);
    assertThat(pipeline.api.requests("bridges")).isEqualTo(2);

    DeadLetter wrongType = only(Pool.TOPIC.deadLetterTopic(), record ->
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"tvlUsd\":\"n/a\""));
    assertThat(wrongType.stage()).isEqualTo("decode");
    assertThat(wrongType.error()).contains("data[0].tvlUsd", "expected number");

    List<ConsumerRecord<byte[], byte[]>> tokens = pipeline.probe.readAll(Token.TOPIC.deadLetterTopic());
    assertThat(tokens).extracting(r -> DeadLetter.fromHeaders(r.headers()).orElseThrow().stage())
        .containsExactlyInAnyOrder("decode", "decode", "feed", "feed", "feed");
    assertThat(tokens).extracting(r -> DeadLetter.fromHeaders(r.headers()).orElseThrow().status())
        .as("400, 412 and 413 are permanent").containsExactlyInAnyOrder(0, 0, 400, 412, 413);
    assertThat(tokens).anySatisfy(r -> {
      DeadLetter letter = DeadLetter.fromHeaders(r.headers()).orElseThrow();
      assertThat(letter.stage()).isEqualTo("feed");
      assertThat(letter.status()).isEqualTo(400);
      assertThat(letter.status()).isEqualTo(400);
      assertThat(letter.error()).contains("id:pintxo:tokens::coin-6");
      assertThat(letter.origin().topic()).isEqualTo(Token.TOPIC.name());
      assertThat(letter.origin().offset()).isNotNegative();
    });
    assertThat(tokens).anySatisfy(r -> assertThat(DeadLetter.fromHeaders(r.headers()).orElseThrow().error())
        .contains("tokens-api-topic[", "field 'name'", "expected string"));
    assertThat(tokens).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not json at all"));

    assertThat(pipeline.count("weaver.poll.failures", "reason", "unreadable")).isEqualTo(2);
    assertThat(pipeline.count("weaver.poll.failures", "reason", "http_500")).isEqualTo(2);
    assertThat(pipeline.count("weaver.dead.letters", "stage", "poll")).as("the HTML and the truncated response").isEqualTo(2);
    assertThat(pipeline.count("weaver.dead.letters", "stage", "decode")).isEqualTo(3);
    assertThat(pipeline.count("weaver.dead.letters", "stage", "feed")).isEqualTo(3);
    assertThat(pipeline.count("weaver.documents.fed", "result", "rejected")).isEqualTo(3);
    Await.until("dead-lettered records are committed too", Duration.ofSeconds(30),
        () -> pipeline.probe.lag("pintxo-engine-connector", List.of(Token.TOPIC.name(), Pool.TOPIC.name())) == 0,
        () -> pipeline.probe.lag("pintxo-engine-connector", List.of(Token.TOPIC.name(), Pool.TOPIC.name())));
  }

  private static DeadLetter only(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> check) {
    List<ConsumerRecord<byte[], byte[]>> records = pipeline.probe.readAll(topic);
    assertThat(records).as(topic).hasSize(1);
    check.accept(records.get(0));
    return DeadLetter.fromHeaders(records.get(0).headers()).orElseThrow();
  }
}
