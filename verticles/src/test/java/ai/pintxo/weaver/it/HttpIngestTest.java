package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.ingest.HttpIngestOptions;
import ai.pintxo.weaver.ingest.HttpIngestVerticle;
import ai.pintxo.weaver.ingest.IngestStreamOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients → HttpIngestVerticle (HTTP/1.1 and h2c) → Kafka → EngineConnectorVerticle → Vespa emulator, and every refusal. */
class HttpIngestTest {

  private static final String TOPIC = "ingest-trades-topic";
  private static final String TOKEN = "s3cr3t-ingest-token";

  private Pipeline pipeline;
  private HttpClient http1;
  private HttpClient h2c;
  /** The one context every client call runs on (see {@link Await#resultOn}). */
  private Context client;
  private int port;

  /** The status, protocol, headers and body of an answer. */
  private record Answer(int status, HttpVersion version, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeEach
  void start() throws Exception {
    pipeline = new Pipeline(ApiPayloads.scaled(1, 0.001));
    client = pipeline.vertx.getOrCreateContext();
    http1 = pipeline.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1));
    h2c = pipeline.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @AfterEach
  void stop() {
    pipeline.close();
  }

  private HttpIngestOptions ingest(KafkaOptions kafka) {
    return new HttpIngestOptions(new JsonObject().put("kafka", kafka.toJson()).put("port", 0).put("maxBodySize", 2048)
        .put("maxRecordsPerRequest", 5).put("ackTimeout", "2s")
        .put("streams", new JsonArray().add(new JsonObject().put("name", "trades").put("recordClass", BinanceTrade.class.getName())
            .put("topic", TOPIC).put("token", TOKEN))));
  }

  private void deploy(HttpIngestOptions options, boolean connector) {
    HttpIngestVerticle verticle = new HttpIngestVerticle(options);
    pipeline.deploy(() -> verticle);
    port = verticle.actualPort();
    if (connector) {
      EngineConnectorOptions feed = pipeline.connectorOptions().addRecordTopic(TOPIC, BinanceTrade.class.getName(), "trade");
      feed.setTopics(List.of(TOPIC));
      pipeline.deploy(() -> new EngineConnectorVerticle(feed));
    }
  }

  @Test
  void recordsPostedAsObjectArrayAndNdjsonOverHttp1AndH2cReachVespa() {
    deploy(ingest(pipeline.kafkaOptions()), true);

    Answer one = post(http1, "trades", TOKEN, "application/json", trade("BTCUSDT", 1, "64000.5").encode());
    assertThat(one.status()).as(one.body()).isEqualTo(202);
    assertThat(one.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(one.json().getInteger("accepted")).isEqualTo(1);

    Answer array = post(h2c, "trades", TOKEN, "application/json",
        new JsonArray().add(trade("ETHUSDT", 2, "3100.25")).add(trade("SOLUSDT", 3, "150")).encode());
    assertThat(array.status()).as(array.body()).isEqualTo(202);
    assertThat(array.version()).as("h2c with prior knowledge").isEqualTo(HttpVersion.HTTP_2);
    assertThat(array.json().getInteger("accepted")).isEqualTo(2);

    Answer ndjson = post(h2c, "trades", TOKEN, "application/x-ndjson",
        trade("ADAUSDT", 4, "0.45").encode() + "\n\n" + trade("BTCUSDT", 5, "64001").encode() + "\n");
    assertThat(ndjson.status()).as(ndjson.body()).isEqualTo(202);
    assertThat(ndjson.json().getInteger("accepted")).isEqualTo(2);

    Await.until("four trade documents", Duration.ofSeconds(30), () -> pipeline.vespa.count("trade") == 4
        && pipeline.vespa.document("trade", "BTCUSDT").map(d -> d.getLong("tradeId") == 5).orElse(false), () -> pipeline.vespa.ids("trade"));
    JsonObject eth = pipeline.vespa.document("trade", "ETHUSDT").orElseThrow();
    assertThat(eth.getString("symbol")).isEqualTo("ETHUSDT");
    assertThat(eth.getLong("tradeId")).isEqualTo(2);
    assertThat(eth.getString("price")).startsWith("3100.25");
    assertThat(eth.getBoolean("buyerIsMaker")).isTrue();
    assertThat(pipeline.probe.readAll(TOPIC)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("BTCUSDT", "ETHUSDT", "SOLUSDT", "ADAUSDT", "BTCUSDT");
    assertThat(pipeline.count("weaver.ingest.records", "stream", "trades")).isEqualTo(5);
    assertThat(pipeline.count("weaver.ingest.requests", "stream", "trades", "status", "202")).isEqualTo(3);
  }

  @Test
  void refusalsCarryTheirStatusAndReasonAndProduceNothing() {
    deploy(ingest(pipeline.kafkaOptions()), false);

    Answer invalid = post(http1, "trades", TOKEN, "application/json", new JsonArray().add(trade("BTCUSDT", 1, "1"))
        .add(trade("ETHUSDT", 2, "1").put("t", "not-a-number")).add(trade("SOLUSDT", 3, "1").put("p", true)).encode());
    assertThat(invalid.status()).isEqualTo(400);
    JsonArray errors = invalid.json().getJsonArray("errors");
    assertThat(errors).hasSize(2);
    assertThat(errors.getJsonObject(0).getInteger("item")).isEqualTo(1);
    assertThat(errors.getJsonObject(0).getString("field")).as("the record component, whatever alias was posted").isEqualTo("tradeId");
    assertThat(errors.getJsonObject(0).getString("error")).isEqualTo("expected number (long), got string");
    assertThat(errors.getJsonObject(1).getInteger("item")).isEqualTo(2);
    assertThat(errors.getJsonObject(1).getString("field")).isEqualTo("price");
    assertThat(invalid.json().getString("message")).contains("nothing of this request was produced");

    Answer badLine = post(h2c, "trades", TOKEN, "application/x-ndjson", trade("BTCUSDT", 1, "1").encode() + "\n{\"s\": \n");
    assertThat(badLine.status()).isEqualTo(400);
    assertThat(badLine.json().getJsonArray("errors").getJsonObject(0).getInteger("item")).isEqualTo(1);
    assertThat(badLine.json().getJsonArray("errors").getJsonObject(0).getString("error")).startsWith("not JSON");

    JsonObject withoutTime = trade("BTCUSDT", 1, "1");
    withoutTime.remove("T");
    Answer missing = post(http1, "trades", TOKEN, "application/json", withoutTime.encode());
    assertThat(missing.status()).isEqualTo(400);
    JsonObject missingError = missing.json().getJsonArray("errors").getJsonObject(0);
    assertThat(missingError.getString("field")).isEqualTo("tradeTime");
    assertThat(missingError.getString("error")).as("a number that is not there is missing, not 'got object'").startsWith("missing, expected number");

    Answer noToken = post(http1, "trades", null, "application/json", trade("BTCUSDT", 1, "1").encode());
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(noToken.body()).doesNotContain(TOKEN);
    assertThat(post(h2c, "trades", "wrong", "application/json", trade("BTCUSDT", 1, "1").encode()).status()).isEqualTo(401);

    Answer unknown = post(http1, "tradez", TOKEN, "application/json", "{}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown stream 'tradez'");
    assertThat(unknown.json().getJsonArray("streams")).containsExactly("trades");

    Answer declaredTooLarge = post(http1, "trades", TOKEN, "application/json", "[" + "1,".repeat(1500) + "1]");
    assertThat(declaredTooLarge.status()).isEqualTo(413);
    assertThat(declaredTooLarge.body()).contains("maxBodySize 2048");
    Answer chunkedTooLarge = postChunked(h2c, "trades", List.of(" ".repeat(1000), " ".repeat(1000), " ".repeat(1000) + "{}"));
    assertThat(chunkedTooLarge.status()).isEqualTo(413);
    Answer chunkedTooLarge1 = postChunked(http1, "trades", List.of(" ".repeat(1000), " ".repeat(1000), " ".repeat(1000) + "{}"));
    assertThat(chunkedTooLarge1.status()).isEqualTo(413);
    JsonArray six = new JsonArray();
    for (int i = 0; i < 6; i++) {
      six.add(trade("T" + i, i, "1"));
    }
    Answer tooMany = post(http1, "trades", TOKEN, "application/json", six.encode());
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.body()).contains("maxRecordsPerRequest 5");
    assertThat(post(http1, "trades", TOKEN, "text/csv", "a,b").status()).isEqualTo(415);

    // An operator's pause: 503 with the reason until resumed; the unit shows it.
    PipelineBoard board = PipelineBoard.of(pipeline.vertx);
    board.pause("HttpIngestVerticle", "paused by alice: maintenance");
    Answer[] paused = new Answer[1];
    Await.until("503 while paused", Duration.ofSeconds(5), () -> {
      paused[0] = post(h2c, "trades", TOKEN, "application/json", trade("BTCUSDT", 1, "1").encode());
      return paused[0].status() == 503;
    }, () -> paused[0]);
    assertThat(paused[0].body()).contains("maintenance");
    assertThat(paused[0].headers().get("Retry-After")).isEqualTo("1");
    assertThat(board.units("HttpIngestVerticle")).singleElement().satisfies(u -> assertThat(u.state()).isEqualTo(UnitState.PAUSED));
    board.resume("HttpIngestVerticle");
    Await.until("running again", Duration.ofSeconds(5),
        () -> board.units("HttpIngestVerticle").get(0).state() == UnitState.RUNNING, () -> board.units("HttpIngestVerticle"));

    // The connection survived the refusals (HTTP/1.1 keep-alive) and a good request still goes through.
    assertThat(post(http1, "trades", TOKEN, "application/json", trade("XRPUSDT", 9, "0.5").encode()).status()).isEqualTo(202);
    assertThat(pipeline.probe.readAll(TOPIC)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .as("only the accepted request's record was produced").containsExactly("XRPUSDT");
    assertThat(pipeline.count("weaver.ingest.requests", "status", "400")).isEqualTo(3);
    assertThat(pipeline.count("weaver.ingest.requests", "status", "401")).isEqualTo(2);
    assertThat(pipeline.count("weaver.ingest.requests", "stream", "(unknown)", "status", "404")).isEqualTo(1);
  }

  @Test
  void answers202OnlyOnceKafkaAcknowledgedAnd429WhileItCannot() {
    KafkaOptions kafka = pipeline.kafkaOptions().setProperties(Map.of("delivery.timeout.ms", "4000", "request.timeout.ms", "1500",
        "linger.ms", "5"));
    deploy(ingest(kafka), true);
    assertThat(post(http1, "trades", TOKEN, "application/json", trade("BTCUSDT", 1, "1").encode()).status()).isEqualTo(202);

    pipeline.stopKafka();
    Answer unacknowledged = post(http1, "trades", TOKEN, "application/json", trade("ETHUSDT", 2, "2").encode());
    assertThat(unacknowledged.status()).as("no 202 without Kafka's acknowledgement: %s", unacknowledged.body()).isEqualTo(503);
    assertThat(unacknowledged.headers().get("Retry-After")).isEqualTo("1");
    Answer[] last = new Answer[1];
    Await.until("429 once the sink knows Kafka is unavailable", Duration.ofSeconds(20), () -> {
      last[0] = post(h2c, "trades", TOKEN, "application/json", trade("SOLUSDT", 3, "3").encode());
      return last[0].status() == 429;
    }, () -> last[0]);
    assertThat(last[0].headers().get("Retry-After")).isEqualTo("1");
    assertThat(last[0].body()).contains("Kafka is unavailable");

    pipeline.restartKafka();
    Await.until("202 again once Kafka is back", Duration.ofSeconds(40), () -> {
      last[0] = post(http1, "trades", TOKEN, "application/json", trade("ADAUSDT", 4, "4").encode());
      return last[0].status() == 202;
    }, () -> last[0]);
    // The record of the request answered 503 was kept by the sink and reached Vespa once Kafka came back.
    Await.until("the unacknowledged request's record in Vespa", Duration.ofSeconds(30),
        () -> pipeline.vespa.ids("trade").containsAll(List.of("BTCUSDT", "ETHUSDT", "ADAUSDT")), () -> pipeline.vespa.ids("trade"));
  }

  @Test
  void configurationNamesTheBadKey() {
    JsonObject stream = new JsonObject().put("name", "trades").put("recordClass", BinanceTrade.class.getName()).put("topic", TOPIC);
    assertThatThrownBy(() -> new HttpIngestOptions(new JsonObject().put("streams", new JsonArray().add(stream))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config.streams[0].token");
    assertThatThrownBy(() -> new HttpIngestOptions(new JsonObject().put("streams", new JsonArray()
        .add(stream.copy().put("token", "x").put("recordClass", String.class.getName())))))
        .hasMessageContaining("config.streams[0].recordClass").hasMessageContaining("must be a record implementing");
    assertThatThrownBy(() -> new HttpIngestOptions(new JsonObject().put("streams", new JsonArray()
        .add(stream.copy().put("token", "x").put("name", "a/b")))))
        .hasMessageContaining("config.streams[0].name");
    assertThatThrownBy(() -> new HttpIngestOptions(new JsonObject().put("maxPending", 10).put("maxRecordsPerRequest", 11)
        .put("streams", new JsonArray().add(stream.copy().put("token", "x")))))
        .hasMessageContaining("config.maxRecordsPerRequest");
    HttpIngestOptions ok = new HttpIngestOptions().addStream(new IngestStreamOptions().setName("trades")
        .setRecordClass(BinanceTrade.class.getName()).setTopic(TOPIC).setToken(TOKEN)).validate();
    assertThat(ok.toMaskedJson().encode()).doesNotContain(TOKEN);
  }

  private static JsonObject trade(String symbol, long id, String price) {
    return new JsonObject().put("s", symbol).put("t", id).put("p", price).put("q", "1.5").put("T", 1_700_000_000_000L + id).put("m", true);
  }

  private Answer post(HttpClient client, String stream, String token, String contentType, String body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/ingest/" + stream);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    request.putHeader("Content-Type", contentType);
    return Await.resultOn(this.client, () -> client.request(request).compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.version(), resp.headers(), b.toString()))));
  }

  private Answer postChunked(HttpClient client, String stream, List<String> chunks) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/ingest/" + stream)
        .putHeader("Authorization", "Bearer " + TOKEN).putHeader("Content-Type", "application/json");
    return Await.resultOn(this.client, () -> client.request(request).compose(req -> {
      req.setChunked(true);
      for (int i = 0; i < chunks.size() - 1; i++) {
        req.write(Buffer.buffer(chunks.get(i)));
      }
      req.end(Buffer.buffer(chunks.get(chunks.size() - 1))).otherwiseEmpty();
      return req.response();
    }).compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.version(), resp.headers(), b.toString()))));
  }
}
