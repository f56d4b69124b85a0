package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.testkit.api.ApiBehaviour;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One running weaver (embedded Kafka, the API poller against the API emulator, the engine connector
 * against the Vespa emulator) that serves every runtime case of the corpus in turn, so the corpus costs
 * one start. Each case gives its bad input to the real source, asserts its outcome (a dead letter with
 * the reason and its counter, or a counted or retried failure), then that the weaver still works: a good
 * poll after a bad answer, a good document after a bad one.
 */
final class CorpusWeaver implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The data types the poller serves; every REST case uses one of them. */
  private static final Map<String, Integer> ITEMS = Map.of("protocols", 4, "chains", 4, "bridges", 3, "pools", 4);
  private static final Map<String, String> ENDPOINTS = Map.of("protocols", "https://api.llama.fi/protocols",
      "chains", "https://api.llama.fi/v2/chains", "bridges", "https://bridges.llama.fi/bridges", "pools", "https://yields.llama.fi/pools");

  private static CorpusWeaver shared;

  private final Vertx emulators = Vertx.vertx();
  private final Path dir;
  private final ApiEmulator api;
  private final VespaEmulator vespa;
  private final TradeStreamEmulator trades;
  private final WeaverRuntime runtime;
  private final KafkaProbe probe;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger alive = new AtomicInteger();
  /** The ingest source's port, stream and token: the ingest cases post to it. */
  private final int ingestPort;
  static final String INGEST_STREAM = "corpus-trades";
  static final String INGEST_TOPIC = "corpus-ingest-topic";
  private static final String INGEST_TOKEN = "corpus-ingest-token";
  /** Every log event while the weaver runs: a case may log its one line, but no stack trace and nothing without context. */
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

  private CorpusWeaver() throws IOException {
    dir = Files.createTempDirectory("bad-input-weaver");
    logs.start();
    root().addAppender(logs);
    api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(7, ITEMS), 0));
    api.conditional(false);
    vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
    trades = Await.result(TradeStreamEmulator.start(emulators, List.of("BTCUSDT"), 200));
    JsonObject endpoints = new JsonObject();
    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
    ENDPOINTS.forEach((type, url) -> list.add(new JsonObject().put("endpoint", api.url(url)).put("dataType", type).put("interval", "1h")));
    Files.writeString(dir.resolve("endpoints.json"), list.encodePrettily());
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ingestPort = socket.getLocalPort();
    }
    Files.writeString(dir.resolve("deployment.json"), """
        {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}, "topicPartitions": 1},
         "admin": {"port": 0, "watch": "0"},
         "cluster": {"enabled": false},
         "verticles": [
           {"name": "api-poller", "verticle": "ApiPollerVerticle",
            "config": {"endpointsFile": "endpoints.json", "changeOnly": false, "retries": 0}},
           {"name": "realtime", "verticle": "RealtimeSourceVerticle",
            "config": {"streams": [{"name": "trades", "transport": "websocket", "url": "%s", "requiredField": "/e",
                                    "recordClass": "ai.pintxo.weaver.codecs.realtime.BinanceTrade", "topic": "corpus-trades-topic"}]}},
           {"name": "ingest", "verticle": "HttpIngestVerticle",
            "config": {"port": %d, "maxBodySize": 4096,
                       "streams": [{"name": "%s", "recordClass": "ai.pintxo.weaver.codecs.realtime.BinanceTrade",
                                    "topic": "%s", "token": "%s"}]}},
           {"name": "engine-connector", "verticle": "EngineConnectorVerticle",
            "config": {"topics": ["tokens-api-topic", "protocols-api-topic", "chains-api-topic", "bridges-api-topic", "pools-api-topic"],
                       "vespa": {"endpoint": "%s"}}}]}""".formatted(trades.webSocketUrl(), ingestPort, INGEST_STREAM, INGEST_TOPIC,
        INGEST_TOKEN, vespa.endpoint()));
    runtime = new WeaverRuntime();
    runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()));
    probe = new KafkaProbe(runtime.deployment().kafka().getBootstrapServers());
    ITEMS.forEach((type, n) -> Await.until("the first poll of " + type, WAIT, () -> probe.count(type + "-api-topic") >= n,
        () -> probe.count(type + "-api-topic")));
  }

  static synchronized CorpusWeaver shared() throws IOException {
    if (shared == null) {
      shared = new CorpusWeaver();
    }
    return shared;
  }

  static synchronized void closeShared() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }

  /**
   * Stops the shared weaver (as SIGTERM's shutdown hook does) while the API emulator trickles a response
   * to a poll in flight (a byte a millisecond: a few seconds): the shutdown waits for the response, as
   * documented, and logs no ERROR at all.
   */
  static synchronized void checkShutdownDuringSlowResponse(JsonObject c) throws Exception {
    CorpusWeaver weaver = shared();
    String type = c.getString("dataType");
    long requests = weaver.api.requests(type);
    weaver.api.trickle(type, 1);
    weaver.poll(type);
    Await.until(c.getString("id") + ": the slow response started", WAIT, () -> weaver.api.requests(type) > requests, () -> weaver.api.requests(type));
    Thread.sleep(200); // some bytes in: the response is being read when the shutdown comes
    synchronized (weaver.logs) {
      weaver.logs.list.clear();
    }
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = weaver.logs;
    root().addAppender(logs); // closing detaches it: keep it for the shutdown's own lines
    closeShared();
    root().detachAppender(logs);
    List<String> bad;
    synchronized (logs) {
      bad = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
          .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }
    assertThat(bad).as("%s: the shutdown logs no ERROR", c.getString("id")).isEmpty();
  }

  /** Runs one runtime case of the index and asserts its outcome, then that the weaver still works. */
  void check(JsonObject c, Path corpus) throws Exception {
    String area = c.getString("id").substring(0, c.getString("id").indexOf('/'));
    synchronized (logs) {
      logs.list.clear();
    }
    switch (area) {
      case "rest" -> rest(c, corpus);
      case "vespa" -> vespa(c);
      case "decode" -> decode(c, corpus);
      case "stream" -> stream(c, corpus);
      case "ingest" -> ingest(c, corpus);
      default -> throw new IllegalArgumentException("no runtime area '" + area + "' (case " + c.getString("id") + ")");
    }
    assertStillWorks();
    List<String> bad;
    synchronized (logs) {
      bad = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
          .filter(e -> e.getThrowableProxy() != null || !e.getLoggerName().startsWith("ai.pintxo"))
          .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }
    assertThat(bad).as("%s: no ERROR with a stack trace, none from outside the weaver's code (they name no endpoint)", c.getString("id")).isEmpty();
  }

  private static ch.qos.logback.classic.Logger root() {
    return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** An API answer, served by the emulator to the poller's next poll of that data type. */
  private void rest(JsonObject c, Path corpus) throws Exception {
    String type = c.getString("dataType");
    String topic = type + "-api-topic";
    Map<String, String> headers = new LinkedHashMap<>();
    c.getJsonObject("headers", new JsonObject()).forEach(h -> headers.put(h.getKey(), (String) h.getValue()));
    byte[] body = c.getString("body") == null ? new byte[0] : Files.readAllBytes(corpus.resolve(c.getString("body")));
    long letters = probe.count(topic + ".dlq");
    double failures = count("weaver.poll.failures", "data_type", type);
    api.answer(type, c.getInteger("status", 200), headers, body);
    poll(type);
    if (c.getString("expect").equals("dead-letter")) {
      Await.until(c.getString("id") + ": a dead letter", WAIT, () -> probe.count(topic + ".dlq") == letters + 1, () -> probe.count(topic + ".dlq"));
      DeadLetter letter = lastLetter(topic + ".dlq");
      assertThat(letter.error()).as("the dead letter's reason").contains(c.getString("reason"));
      assertThat(count("weaver.dead.letters", "topic", topic)).as("counted").isPositive();
    } else {
      Await.until(c.getString("id") + ": a counted failure", WAIT, () -> count("weaver.poll.failures", "data_type", type) == failures + 1,
          () -> count("weaver.poll.failures", "data_type", type));
      assertThat(count("weaver.poll.failures", "reason", c.getString("reason"))).as("counted with reason %s", c.getString("reason")).isPositive();
      assertThat(probe.count(topic + ".dlq")).as("no dead letter: nothing to replay").isEqualTo(letters);
    }
    long before = probe.count(topic);
    api.behave(type, ApiBehaviour.NORMAL);
    poll(type);
    Await.until(c.getString("id") + ": the next good answer is read", WAIT, () -> probe.count(topic) >= before + ITEMS.get(type),
        () -> probe.count(topic));
  }

  /** A document Vespa answers with an error status: dead-lettered when permanent, retried when not. */
  private void vespa(JsonObject c) {
    int status = c.getInteger("status");
    String id = "corpus-vespa-" + status;
    long letters = probe.count("tokens-api-topic.dlq");
    if (c.getString("expect").equals("retried")) {
      double retries = count("weaver.feed.retries", "status", Integer.toString(status));
      vespa.faults().failNext(1, status);
      produceToken(id);
      Await.until(c.getString("id") + ": fed after a retry", WAIT, () -> vespa.document("tokens", id).isPresent(), () -> vespa.counts());
      assertThat(count("weaver.feed.retries", "status", Integer.toString(status))).as("the retry counted").isGreaterThan(retries);
      assertThat(probe.count("tokens-api-topic.dlq")).isEqualTo(letters);
      return;
    }
    vespa.faults().reject(id::equals, status);
    produceToken(id);
    Await.until(c.getString("id") + ": a dead letter", WAIT, () -> probe.count("tokens-api-topic.dlq") == letters + 1,
        () -> probe.count("tokens-api-topic.dlq"));
    DeadLetter letter = lastLetter("tokens-api-topic.dlq");
    assertThat(letter.stage()).isEqualTo("feed");
    assertThat(letter.status()).isEqualTo(status);
    assertThat(letter.error()).contains(c.getString("reason"));
    assertThat(count("weaver.dead.letters", "stage", "feed")).isPositive();
    assertThat(vespa.document("tokens", id)).isEmpty();
  }

  /** A record on a topic that does not decode to its type: the connector dead-letters it with the field. */
  private void decode(JsonObject c, Path corpus) throws IOException {
    String topic = c.getString("topic");
    long letters = probe.count(topic + ".dlq");
    probe.produce(topic, List.<byte[][]>of(new byte[][] {c.getString("id").getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(corpus.resolve(c.getString("record")))}));
    Await.until(c.getString("id") + ": a dead letter", WAIT, () -> probe.count(topic + ".dlq") == letters + 1, () -> probe.count(topic + ".dlq"));
    DeadLetter letter = lastLetter(topic + ".dlq");
    assertThat(letter.stage()).isEqualTo("decode");
    assertThat(letter.error()).contains(c.getString("reason"));
    assertThat(count("weaver.dead.letters", "stage", "decode")).isPositive();
  }

  /**
   * A WebSocket stream: a message that is not a record (dead-lettered with the field), or the server closing
   * every connection with a status ({@code reconnected}: the source connects again and records flow).
   */
  private void stream(JsonObject c, Path corpus) throws IOException {
    String topic = "corpus-trades-topic";
    if (c.getString("expect").equals("reconnected")) {
      long connections = trades.connections();
      trades.closeAll(c.getInteger("closeStatus").shortValue(), c.getString("closeReason", ""));
      Await.until(c.getString("id") + ": connected again", WAIT, () -> trades.connections() > connections, trades::connections);
      long before = probe.count(topic);
      trades.send("{\"e\": \"trade\", \"s\": \"BTCUSDT\", \"t\": 99, \"p\": \"97000.10\", \"q\": \"0.5\", \"T\": 1733300000000, \"m\": false}");
      Await.until(c.getString("id") + ": a trade on the new connection is read", WAIT, () -> probe.count(topic) == before + 1, () -> probe.count(topic));
      List<String> errors;
      synchronized (logs) {
        errors = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
            .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
      }
      assertThat(errors).as("%s: an ordinary close is no error", c.getString("id")).isEmpty();
      return;
    }
    long letters = probe.count(topic + ".dlq");
    trades.send(Files.readString(corpus.resolve(c.getString("message"))).trim());
    Await.until(c.getString("id") + ": a dead letter", WAIT, () -> probe.count(topic + ".dlq") == letters + 1, () -> probe.count(topic + ".dlq"));
    DeadLetter letter = lastLetter(topic + ".dlq");
    assertThat(letter.error()).contains(c.getString("reason"));
    assertThat(count("weaver.dead.letters", "topic", topic)).isPositive();
  }

  /**
   * A request to the HTTP ingest source: answered with the case's status, the answer's text holding its
   * reason; nothing produced unless it is 202 (then every record was), no ERROR line at all (not one from the
   * HTTP layer either), and the next good request is taken. Each request on a connection of its own.
   */
  private void ingest(JsonObject c, Path corpus) throws Exception {
    String id = c.getString("id");
    byte[] body = Files.readAllBytes(corpus.resolve(c.getString("body")));
    if (c.getBoolean("gzip", false)) {
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(zipped)) {
        out.write(body);
      }
      body = zipped.toByteArray();
    }
    Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
    if (c.getBoolean("token", true)) {
      headers.put("Authorization", "Bearer " + c.getString("tokenValue", INGEST_TOKEN));
    }
    c.getJsonObject("headers", new JsonObject()).forEach(h -> headers.put(h.getKey(), (String) h.getValue()));
    long before = probe.count(INGEST_TOPIC);
    HttpResponse<String> answer = post(c.getString("stream", INGEST_STREAM), headers, body);
    assertThat(answer.statusCode()).as("%s: the status; answer %s", id, answer.body()).isEqualTo(c.getInteger("status"));
    assertThat(answer.body()).as("%s: the answer says why", id).contains(c.getString("reason"));
    if (c.getInteger("status") == 202) {
      assertThat(probe.count(INGEST_TOPIC)).as("%s: every record produced", id).isGreaterThan(before);
    } else {
      assertThat(probe.count(INGEST_TOPIC)).as("%s: nothing produced", id).isEqualTo(before);
    }
    List<String> errors;
    synchronized (logs) {
      errors = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
          .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }
    assertThat(errors).as("%s: a refused request is the client's error, logged at no ERROR", id).isEmpty();
    HttpResponse<String> good = post(INGEST_STREAM, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + INGEST_TOKEN),
        Files.readAllBytes(corpus.resolve("ingest/trades.json")));
    assertThat(good.statusCode()).as("%s: the next good request is taken; answer %s", id, good.body()).isEqualTo(202);
  }

  private HttpResponse<String> post(String stream, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/ingest/" + stream))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    // A client of its own: no kept-alive connection carries one case's leftovers into the next.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The process is alive and the pipeline flows: {@code /health} answers and a good document reaches Vespa. */
  private void assertStillWorks() throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as("/health").isEqualTo(200);
    String id = "alive-" + alive.incrementAndGet();
    produceToken(id);
    Await.until("a good document after the case", WAIT, () -> vespa.document("tokens", id).isPresent(), () -> vespa.counts());
  }

  private void produceToken(String id) {
    probe.produce("tokens-api-topic", List.<byte[][]>of(new byte[][] {id.getBytes(StandardCharsets.UTF_8),
        new JsonObject().put("id", id).put("symbol", "cor").put("name", "Corpus " + id).encode().getBytes(StandardCharsets.UTF_8)}));
  }

  private void poll(String dataType) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/admin/poll/" + dataType))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("poll triggered").isEqualTo(202);
  }

  private DeadLetter lastLetter(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = probe.readAll(topic);
    return DeadLetter.fromHeaders(records.get(records.size() - 1).headers()).orElseThrow();
  }

  private double count(String name, String tag, String value) {
    return runtime.registry().find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
  }

  private String adminUrl() {
    return "http://127.0.0.1:" + runtime.admin().port();
  }

  @Override
  public void close() {
    root().detachAppender(logs);
    runtime.close();
    Await.result(emulators.close());
  }
}
