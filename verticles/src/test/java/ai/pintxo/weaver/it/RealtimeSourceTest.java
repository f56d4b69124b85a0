package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.realtime.RealtimeSourceOptions;
import ai.pintxo.weaver.realtime.RealtimeSourceVerticle;
import ai.pintxo.weaver.realtime.RealtimeStreamOptions;
import ai.pintxo.weaver.realtime.StreamOptions;
import ai.pintxo.weaver.realtime.Transport;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trade emulator (WebSocket and SSE) → RealtimeSourceVerticle from config → Kafka → EngineConnectorVerticle → Vespa emulator. */
class RealtimeSourceTest {

  private static final String WS_TOPIC = "binance-trades-topic";
  private static final String SSE_TOPIC = "sse-trades-topic";
  private static final StreamOptions FAST = new StreamOptions(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofMillis(50),
      Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1));

  private Pipeline pipeline;
  private TradeStreamEmulator trades;

  @BeforeEach
  void start() throws Exception {
    pipeline = new Pipeline(ApiPayloads.scaled(1, 0.001));
    trades = Await.result(TradeStreamEmulator.start(pipeline.vertx, List.of("BTCUSDT", "ETHUSDT", "SOLUSDT"), 50));
  }

  @AfterEach
  void stop() {
    Await.result(trades.close());
    pipeline.close();
  }

  @Test
  void webSocketAndSseStreamsFromConfigReachVespaAndSurviveCloseAndBadMessages() {
    // Configured as a user would: JSON, one entry per stream, the record class by name.
    RealtimeSourceOptions source = new RealtimeSourceOptions(new JsonObject()
        .put("kafka", pipeline.kafkaOptions().toJson())
        .put("streams", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("name", "binance-trades").put("transport", "websocket").put("url", trades.webSocketUrl())
                .put("subscribe", new JsonObject().put("method", "SUBSCRIBE").put("params", new io.vertx.core.json.JsonArray()
                    .add("btcusdt@trade").add("ethusdt@trade")).put("id", 1))
                .put("recordClass", BinanceTrade.class.getName()).put("requiredField", "/e").put("topic", WS_TOPIC)
                .put("pingInterval", "500ms").put("silenceTimeout", "2s").put("minBackoff", "50ms").put("maxBackoff", "500ms"))
            .add(new JsonObject().put("name", "sse-trades").put("transport", "sse").put("url", trades.sseUrl("SOLUSDT"))
                .put("recordClass", BinanceTrade.class.getName()).put("topic", SSE_TOPIC)
                .put("silenceTimeout", "2s").put("minBackoff", "50ms").put("maxBackoff", "500ms"))));
    EngineConnectorOptions connector = pipeline.connectorOptions()
        .addRecordTopic(WS_TOPIC, BinanceTrade.class.getName(), "trade")
        .addRecordTopic(SSE_TOPIC, BinanceTrade.class.getName(), "trade");
    connector.setTopics(List.of(WS_TOPIC, SSE_TOPIC));
    pipeline.deploy(() -> new RealtimeSourceVerticle(source));
    pipeline.deploy(() -> new EngineConnectorVerticle(connector));

    Await.until("a trade document per market", Duration.ofSeconds(60), () -> pipeline.vespa.count("trade") == 3,
        () -> pipeline.vespa.ids("trade"));
    trades.closeAll();
    long afterClose = trades.lastTradeId("BTCUSDT");
    Await.until("trades after the server closed every connection", Duration.ofSeconds(30),
        () -> tradeId("BTCUSDT") > afterClose + 5 && tradeId("SOLUSDT") > afterClose + 5,
        () -> "BTCUSDT " + tradeId("BTCUSDT") + ", SOLUSDT " + tradeId("SOLUSDT") + ", closed at " + afterClose);
    trades.sendMalformed();
    long afterBad = trades.lastTradeId("ETHUSDT");
    Await.until("trades after a malformed message", Duration.ofSeconds(30), () -> tradeId("ETHUSDT") > afterBad + 5,
        () -> "ETHUSDT " + tradeId("ETHUSDT"));

    JsonObject btc = pipeline.vespa.document("trade", "BTCUSDT").orElseThrow();
    assertThat(btc.getString("symbol")).isEqualTo("BTCUSDT");
    assertThat(btc.getString("price")).matches("\\d+\\.\\d{8}");
    assertThat(btc.getValue("buyerIsMaker")).isInstanceOf(Boolean.class);

    List<ConsumerRecord<byte[], byte[]>> dead = pipeline.probe.readAll(WS_TOPIC + ".dlq");
    assertThat(dead).hasSize(1);
    DeadLetter letter = DeadLetter.fromHeaders(dead.get(0).headers()).orElseThrow();
    assertThat(letter.error()).contains("binance-trades").contains("price");
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains("\"p\":true");
    assertThat(pipeline.probe.readAll(SSE_TOPIC + ".dlq")).hasSize(1);
    // The subscription acknowledgement and the SSE heartbeats are control messages, not records or errors.
    assertThat(pipeline.count("weaver.realtime.ignored")).isPositive();
    assertThat(pipeline.probe.readAll(SSE_TOPIC)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsOnly("SOLUSDT");
  }

  @Test
  void refusedUpgradeIsRetriedAndRecovers() {
    trades.refuseUpgrades(503);
    RealtimeSourceOptions source = new RealtimeSourceOptions().setKafka(pipeline.kafkaOptions()).addStream(new RealtimeStreamOptions()
        .setName("binance").setTransport(Transport.WEBSOCKET).setUrl(trades.webSocketUrl())
        .setSubscribe(List.of("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":7}")).setRequiredField("/e")
        .setRecordClass(BinanceTrade.class.getName()).setTopic(WS_TOPIC).setStream(FAST));
    pipeline.deploy(() -> new RealtimeSourceVerticle(source));
    Await.until("refused attempts, retried with backoff", Duration.ofSeconds(20), () -> trades.refused() >= 3,
        () -> trades.refused() + " refused");
    assertThat(pipeline.probe.count(WS_TOPIC)).isZero();
    trades.refuseUpgrades(0);
    Await.until("trades once the server accepts again", Duration.ofSeconds(30), () -> pipeline.probe.count(WS_TOPIC) > 20,
        () -> pipeline.probe.count(WS_TOPIC) + " records");
  }

  @Test
  void aWebSocketClosedByTheServerAfterDeliveringReconnectsAtOnceDespiteALongBackoff() {
    // A first backoff of 2.5–5 s: a reconnect that backed off would leave a gap that long.
    StreamOptions slowBackoff = new StreamOptions(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(20),
        Duration.ofHours(1), Duration.ofSeconds(1));
    RealtimeSourceOptions source = new RealtimeSourceOptions().setKafka(pipeline.kafkaOptions()).addStream(new RealtimeStreamOptions()
        .setName("binance").setTransport(Transport.WEBSOCKET).setUrl(trades.webSocketUrl())
        .setSubscribe(List.of("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":7}")).setRequiredField("/e")
        .setRecordClass(BinanceTrade.class.getName()).setTopic(WS_TOPIC).setStream(slowBackoff));
    pipeline.deploy(() -> new RealtimeSourceVerticle(source));
    for (int close = 1; close <= 3; close++) {
      long before = pipeline.probe.count(WS_TOPIC);
      Await.until("trades before close " + close, Duration.ofSeconds(20), () -> pipeline.probe.count(WS_TOPIC) > before + 5,
          () -> pipeline.probe.count(WS_TOPIC) + " records");
      trades.closeAll();
    }
    long afterLast = pipeline.probe.count(WS_TOPIC);
    Await.until("trades after the last close", Duration.ofSeconds(20), () -> pipeline.probe.count(WS_TOPIC) > afterLast + 5,
        () -> pipeline.probe.count(WS_TOPIC) + " records");
    List<Long> times = pipeline.probe.readAll(WS_TOPIC).stream().map(ConsumerRecord::timestamp).sorted().toList();
    long maxGap = 0;
    for (int i = 1; i < times.size(); i++) {
      maxGap = Math.max(maxGap, times.get(i) - times.get(i - 1));
    }
    assertThat(trades.connections()).as("connections: the first and one per close").isGreaterThanOrEqualTo(4);
    assertThat(maxGap).as("longest gap between trades in Kafka (ms) across three server closes").isLessThan(1_000);
  }

  @Test
  void badConfigurationNamesTheKey() {
    JsonObject stream = new JsonObject().put("name", "x").put("transport", "websocket").put("url", "wss://example.org/ws")
        .put("recordClass", "com.example.Missing").put("topic", "t");
    assertThatThrownBy(() -> new RealtimeSourceOptions(new JsonObject().put("streams", new io.vertx.core.json.JsonArray().add(stream))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.streams[0].recordClass").hasMessageContaining("com.example.Missing");
    JsonObject carrier = stream.copy().put("recordClass", String.class.getName());
    assertThatThrownBy(() -> new RealtimeSourceOptions(new JsonObject().put("streams", new io.vertx.core.json.JsonArray().add(carrier))))
        .hasMessageContaining("must be a record implementing");
    JsonObject transport = stream.copy().put("recordClass", BinanceTrade.class.getName()).put("transport", "mqtt");
    assertThatThrownBy(() -> new RealtimeSourceOptions(new JsonObject().put("streams", new io.vertx.core.json.JsonArray().add(transport))))
        .hasMessageContaining("config.streams[0].transport");
    JsonObject sseSubscribe = stream.copy().put("recordClass", BinanceTrade.class.getName()).put("transport", "sse")
        .put("url", "https://example.org/sse").put("subscribe", "hello");
    assertThatThrownBy(() -> new RealtimeSourceOptions(new JsonObject().put("streams", new io.vertx.core.json.JsonArray().add(sseSubscribe))))
        .hasMessageContaining("config.streams[0].subscribe");
  }

  private long tradeId(String symbol) {
    return pipeline.vespa.document("trade", symbol).map(d -> d.getLong("tradeId")).orElse(-1L);
  }
}
