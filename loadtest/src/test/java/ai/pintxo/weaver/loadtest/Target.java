package ai.pintxo.weaver.loadtest;

import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.launcher.Deployment;
import ai.pintxo.weaver.launcher.WeaverRuntime;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What a simulation loads: a weaver started here (embedded Kafka, the Vespa emulator, a
 * {@link WeaverRuntime} with the HTTP ingest source and the engine connector feeding the emulator), or
 * one given by URL: {@code -Dtarget=http://host:8088} (the ingest source), {@code -Dtoken=} (the
 * stream's bearer token), {@code -Dadmin=http://host:8090} and {@code -Dvespa=http://host:8080} (a Vespa
 * emulator, for the end-to-end check). The stream is {@code trades}, typed {@link BinanceTrade}, fed to
 * document type {@code trade}.
 */
final class Target implements AutoCloseable {

  static final String STREAM = "trades";
  static final String TOPIC = "ingest-trades-topic";
  static final String DOCUMENT_TYPE = "trade";

  final String ingestUrl;
  final String adminUrl;
  final String vespaUrl;
  final String token;
  private final Vertx emulators;
  private final WeaverRuntime runtime;

  private Target(String ingestUrl, String adminUrl, String vespaUrl, String token, Vertx emulators, WeaverRuntime runtime) {
    this.ingestUrl = ingestUrl;
    this.adminUrl = adminUrl;
    this.vespaUrl = vespaUrl;
    this.token = token;
    this.emulators = emulators;
    this.runtime = runtime;
  }

  /** @return the target the properties name, or a new one started here */
  static Target fromProperties() {
    String url = LoadProfile.property("target", "");
    if (!url.isEmpty()) {
      return new Target(url, LoadProfile.property("admin", ""), LoadProfile.property("vespa", ""), LoadProfile.property("token", ""),
          null, null);
    }
    return start();
  }

  private static Target start() {
    Vertx emulators = Vertx.vertx();
    WeaverRuntime runtime = null;
    try {
      VespaEmulator vespa = VespaEmulator.start(emulators, new VespaEmulatorOptions())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Path dir = Files.createTempDirectory("weaver-loadtest");
      int ingestPort = freePort();
      String token = "loadtest-" + UUID.randomUUID();
      JsonObject deployment = new JsonObject()
          .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka").put("port", 0)))
          .put("admin", new JsonObject().put("port", 0).put("watch", "0s"))
          .put("verticles", new JsonArray()
              .add(new JsonObject().put("name", "ingest").put("verticle", "HttpIngestVerticle").put("config", new JsonObject()
                  .put("port", ingestPort)
                  .put("streams", new JsonArray().add(new JsonObject().put("name", STREAM).put("recordClass", BinanceTrade.class.getName())
                      .put("topic", TOPIC).put("token", token)))))
              .add(new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle").put("config", new JsonObject()
                  .put("topics", new JsonArray().add(TOPIC))
                  .put("records", new JsonArray().add(new JsonObject().put("topic", TOPIC).put("recordClass", BinanceTrade.class.getName())
                      .put("documentType", DOCUMENT_TYPE)))
                  .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())))));
      Path file = dir.resolve("deployment.json");
      Files.writeString(file, deployment.encodePrettily());
      runtime = new WeaverRuntime();
      runtime.start(Deployment.load(file, Map.of()));
      return new Target("http://127.0.0.1:" + ingestPort, "http://127.0.0.1:" + runtime.admin().port(), vespa.endpoint(), token,
          emulators, runtime);
    } catch (Exception e) {
      if (runtime != null) {
        runtime.close();
      }
      emulators.close();
      throw new IllegalStateException("could not start the load test's target: " + e, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return whether this target was started here (and so has an admin endpoint and an emulator for sure) */
  boolean local() {
    return runtime != null;
  }

  @Override
  public void close() {
    if (runtime != null) {
      runtime.close();
    }
    if (emulators != null) {
      emulators.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
