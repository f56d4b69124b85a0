package ai.pintxo.weaver.loadtest;

import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The soak's weaver: every source type at once, in a JVM of its own ({@link WeaverProcess}) with its embedded
 * broker, fed by the testkit's emulators running here: the HTTP ingest source ({@code trades}, loaded by
 * Gatling), REST APIs polled every 10 s (chains, protocols, pools), Pyth prices streamed over SSE (50 feeds,
 * an update every 400 ms each), a Substreams module over gRPC (10 blocks/s), and a real-time trade stream over
 * WebSocket and one over SSE (a trade every 20 ms each), all fed by the engine connector to the Vespa emulator.
 */
final class SoakTarget implements AutoCloseable {

  static final String REALTIME_BTC_TOPIC = "realtime-btc-topic";
  static final String REALTIME_SOL_TOPIC = "realtime-sol-topic";
  static final List<String> POLLED = List.of("chains", "protocols", "pools");

  final String ingestUrl;
  final String vespaUrl;
  final String token;
  final Path dir;
  final VespaEmulator vespa;
  final WeaverProcess weaver;
  private final Vertx emulators;

  private SoakTarget(String ingestUrl, String vespaUrl, String token, Path dir, VespaEmulator vespa, WeaverProcess weaver, Vertx emulators) {
    this.ingestUrl = ingestUrl;
    this.vespaUrl = vespaUrl;
    this.token = token;
    this.dir = dir;
    this.vespa = vespa;
    this.weaver = weaver;
    this.emulators = emulators;
  }

  /**
   * @param dir        where the deployment, the weaver's log and GC log go
   * @param endToEnd   told, for each trade written to Vespa, the milliseconds since its trade time
   */
  static SoakTarget start(Path dir, String heap, LongConsumer endToEnd) {
    Vertx emulators = Vertx.vertx();
    WeaverProcess weaver = null;
    try {
      VespaEmulator vespa = await(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      vespa.onWrite((type, id, fields) -> {
        if (Target.DOCUMENT_TYPE.equals(type)) {
          JsonNode time = fields.get("tradeTime");
          if (time != null && time.isObject()) {
            time = time.get("assign");
          }
          if (time != null && time.isNumber()) {
            endToEnd.accept(System.currentTimeMillis() - time.asLong());
          }
        }
      });
      ApiEmulator api = await(ApiEmulator.start(emulators, new ApiPayloads(1, Map.of("chains", 50, "protocols", 500, "pools", 1000)), 0));
      List<HermesFeed> feeds = HermesEmulator.generatedFeeds(50);
      HermesEmulator hermes = await(HermesEmulator.start(emulators, feeds, 400, 0));
      SubstreamsEmulator substreams = await(SubstreamsEmulator.start(emulators, new SubstreamsEmulatorOptions()
          .setOutputs(Payloads.seaport(5, 10)).setBlocksPerSecond(10)));
      TradeStreamEmulator trades = await(TradeStreamEmulator.start(emulators, List.of("BTCUSDT", "SOLUSDT"), 20));
      Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve("pintxo-seaport.spkg"));
      int ingestPort = freePort();
      String token = "soak-" + UUID.randomUUID();
      JsonObject deployment = deployment(dir, ingestPort, token, api, hermes, feeds, substreams, spkg, trades, vespa);
      Path file = dir.resolve("deployment.json");
      Files.writeString(file, deployment.encodePrettily());
      weaver = WeaverProcess.start(file, heap);
      String ingestUrl = "http://127.0.0.1:" + ingestPort;
      awaitIngest(ingestUrl, token, weaver);
      return new SoakTarget(ingestUrl, vespa.endpoint(), token, dir, vespa, weaver, emulators);
    } catch (Exception e) {
      if (weaver != null) {
        weaver.close();
      }
      emulators.close();
      throw new IllegalStateException("could not start the soak's weaver: " + e, e);
    }
  }

  private static JsonObject deployment(Path dir, int ingestPort, String token, ApiEmulator api, HermesEmulator hermes, List<HermesFeed> feeds,
      SubstreamsEmulator substreams, Path spkg, TradeStreamEmulator trades, VespaEmulator vespa) {
    String trade = BinanceTrade.class.getName();
    JsonArray endpoints = new JsonArray()
        .add(endpoint(api, "chains", "https://api.llama.fi/v2/chains"))
        .add(endpoint(api, "protocols", "https://api.llama.fi/protocols"))
        .add(endpoint(api, "pools", "https://yields.llama.fi/pools"));
    JsonArray pythFeeds = new JsonArray();
    feeds.forEach(f -> pythFeeds.add(new JsonObject().put("id", f.id()).put("symbol", f.symbol())));
    JsonArray streams = new JsonArray()
        .add(new JsonObject().put("name", "btc").put("transport", "websocket").put("url", trades.webSocketUrl("btc"))
            .put("subscribe", new JsonArray().add(new JsonObject().put("method", "SUBSCRIBE")
                .put("params", new JsonArray().add("btcusdt@trade")).put("id", 1)))
            .put("recordClass", trade).put("requiredField", "/e").put("topic", REALTIME_BTC_TOPIC))
        .add(new JsonObject().put("name", "sol").put("transport", "sse").put("url", trades.namedSseUrl("sol", "SOLUSDT"))
            .put("recordClass", trade).put("topic", REALTIME_SOL_TOPIC));
    JsonArray topics = new JsonArray().add(Target.TOPIC).add("pyth-price-topic").add(PintxoMetric.TOPIC.name())
        .add(REALTIME_BTC_TOPIC).add(REALTIME_SOL_TOPIC);
    POLLED.forEach(t -> topics.add(t + "-api-topic"));
    JsonArray records = new JsonArray();
    for (String topic : List.of(Target.TOPIC, REALTIME_BTC_TOPIC, REALTIME_SOL_TOPIC)) {
      records.add(new JsonObject().put("topic", topic).put("recordClass", trade).put("documentType", Target.DOCUMENT_TYPE));
    }
    return new JsonObject()
        .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", dir.resolve("kafka").toString()).put("port", 0)))
        .put("admin", new JsonObject().put("port", freePort()).put("watch", "0s"))
        .put("verticles", new JsonArray()
            .add(new JsonObject().put("name", "ingest").put("verticle", "HttpIngestVerticle").put("config", new JsonObject()
                .put("port", ingestPort)
                .put("streams", new JsonArray().add(new JsonObject().put("name", Target.STREAM).put("recordClass", trade)
                    .put("topic", Target.TOPIC).put("token", token)))))
            .add(new JsonObject().put("name", "api-poller").put("verticle", "ApiPollerVerticle").put("config", new JsonObject()
                .put("endpoints", endpoints).put("changeOnly", false)))
            .add(new JsonObject().put("name", "pyth").put("verticle", "PythVerticle").put("config", new JsonObject()
                .put("endpoint", hermes.endpoint()).put("feeds", pythFeeds).put("conflationInterval", "200ms")))
            .add(new JsonObject().put("name", "substream").put("verticle", "SubstreamsVerticle").put("config", new JsonObject()
                .put("name", "pintxo-seaport").put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy")
                .put("outputModule", "metrics_out").put("endpoint", substreams.endpoint()).put("plaintext", true)
                .put("startBlock", 0).put("stopBlock", 0).put("cacheDir", dir.resolve("spkg-cache").toString())))
            .add(new JsonObject().put("name", "realtime").put("verticle", "RealtimeSourceVerticle").put("config", new JsonObject()
                .put("streams", streams)))
            .add(new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle").put("config", new JsonObject()
                .put("topics", topics).put("records", records)
                .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())))));
  }

  private static JsonObject endpoint(ApiEmulator api, String dataType, String real) {
    return new JsonObject().put("endpoint", api.url(real)).put("dataType", dataType).put("interval", "10s").put("conditional", false);
  }

  /** Waits until the weaver answers a trade with 202: it is up, its broker too. */
  private static void awaitIngest(String url, String token, WeaverProcess weaver) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/ingest/" + Target.STREAM)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Trades.randomBatch(1))).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!weaver.alive()) {
        throw new IllegalStateException("the weaver exited; see " + weaver.log);
      }
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the weaver's ingest source did not answer 202 within 120 s; see " + weaver.log);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    weaver.close();
    emulators.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
