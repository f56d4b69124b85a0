package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vespa container's /document/v1 API on one port, in process: HTTP/1.1 and HTTP/2 cleartext
 * (prior knowledge or upgrade), 512 streams per connection, gzip request bodies, the feed client's
 * {@code dryRun} handshake, validation against the application package's schemas, and
 * {@link VespaFaults} to inject overload, errors, latency and outages.
 *
 * <p>Start with {@link #start(Vertx, VespaEmulatorOptions)}; read what was fed with
 * {@link #document(String, String)} and {@link #count(String)}.
 */
public final class VespaEmulator {

  private final Vertx vertx;
  private final DocumentStore store;
  private final VespaFaults faults;
  private final DocumentV1Handler handler;
  private final List<String> deployments;
  private final int port;
  private final String host;
  private boolean tls;

  private VespaEmulator(Vertx vertx, DocumentStore store, VespaFaults faults, DocumentV1Handler handler,
                        List<String> deployments, int port, String host) {
    this.vertx = vertx;
    this.store = store;
    this.faults = faults;
    this.handler = handler;
    this.deployments = deployments;
    this.port = port;
    this.host = host;
  }

  /**
   * Starts the emulator.
   *
   * @param vertx   the Vert.x instance to serve on
   * @param options where to listen, how many event loops, which schemas
   * @return the running emulator, once it listens
   */
  public static Future<VespaEmulator> start(Vertx vertx, VespaEmulatorOptions options) {
    DocumentStore store = new DocumentStore(options.isStoreDocuments());
    VespaFaults faults = new VespaFaults();
    DocumentV1Handler handler = new DocumentV1Handler(vertx, options.getSchemas(), store, faults, options);
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setDecompressionSupported(true)
        .setHttp2ClearTextEnabled(true)
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(options.getMaxConcurrentStreams())
            .setInitialWindowSize(1 << 20));
    // Vert.x shares one listening socket among servers of the same host and port, but not among
    // servers asking for port 0: pick the free port first, then every instance binds it.
    if (options.getTlsKeyCert() != null) {
      serverOptions.setSsl(true).setUseAlpn(true).setKeyCertOptions(options.getTlsKeyCert());
      if (options.getClientTrust() != null) {
        serverOptions.setTrustOptions(options.getClientTrust()).setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED);
      }
    }
    int port = options.getPort() == 0 ? freePort(options.getHost()) : options.getPort();
    HttpServerOptions shared = new HttpServerOptions(serverOptions).setPort(port);
    AtomicInteger bound = new AtomicInteger();
    VespaEmulator[] self = new VespaEmulator[1];
    // Requests under /emulator/ control the emulator; the rest is /document/v1.
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> routes = req -> {
      if (req.path().startsWith(EmulatorControl.PREFIX) && self[0] != null) {
        new EmulatorControl(self[0]).handle(req);
      } else if (options.getBearerToken() != null && !("Bearer " + options.getBearerToken()).equals(req.getHeader("Authorization"))) {
        req.response().setStatusCode(401).putHeader("Content-Type", "application/json; charset=UTF-8")
            .end("{\"message\":\"Unauthorized: missing or invalid token\"}");
      } else {
        handler.handle(req);
      }
    };
    return vertx.deployVerticle(() -> new ServerVerticle(shared, routes, bound), new DeploymentOptions().setInstances(options.getInstances()))
        .map(id -> {
          self[0] = new VespaEmulator(vertx, store, faults, handler, List.of(id), bound.get(), options.getHost());
          self[0].tls = options.getTlsKeyCert() != null;
          return self[0];
        });
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("no free port on " + host, e);
    }
  }

  /** @return the port it listens on */
  public int port() {
    return port;
  }

  /** @return the base URL, e.g. {@code http://127.0.0.1:8080} */
  public String endpoint() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }

  /** Told about each document write the emulator accepted, before it answers (so before the client's acknowledgement). */
  public interface WriteListener {
    /**
     * @param fields a put's fields, or an update's field operations ({@code {"price": {"assign": 1.5}}})
     */
    void written(String documentType, String id, com.fasterxml.jackson.databind.node.ObjectNode fields);
  }

  /** Calls the listener on every accepted put and update (on the emulator's event loop: keep it quick); null removes it. */
  public VespaEmulator onWrite(WriteListener listener) {
    store.listener(listener);
    return this;
  }

  /** @return the fault switches */
  public VespaFaults faults() {
    return faults;
  }

  /**
   * @param documentType e.g. {@code protocol}
   * @param userSpecificId the id without the {@code id:ns:type::} prefix
   * @return the stored fields, if the document exists
   */
  public Optional<JsonObject> document(String documentType, String userSpecificId) {
    ObjectNode doc = store.get(documentType, userSpecificId);
    return Optional.ofNullable(doc).map(d -> new JsonObject(d.toString()));
  }

  /** @return the user-specified ids of the documents of a type, sorted */
  public java.util.Set<String> ids(String documentType) {
    return java.util.Collections.unmodifiableSet(store.type(documentType).keySet());
  }

  /**
   * @param documentType e.g. {@code trade}
   * @return user-specified id → when the emulator accepted its last write (epoch ms, just before answering,
   *     so at most the client's acknowledgement time); empty when the emulator keeps no documents
   */
  public Map<String, Long> writtenAt(String documentType) {
    return java.util.Collections.unmodifiableMap(store.writtenAt(documentType));
  }

  /** @return number of documents of a type */
  public int count(String documentType) {
    return store.type(documentType).size();
  }

  /** @return document type → number of documents, for types that hold any */
  public Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    store.all().forEach((type, docs) -> {
      if (!docs.isEmpty()) {
        out.put(type, docs.size());
      }
    });
    return out;
  }

  /** @return number of document operations applied (puts, updates, removes) */
  public long operationsApplied() {
    return store.operations();
  }

  /** @return HTTP status → number of responses with it */
  public Map<Integer, Long> responsesByStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    handler.statusCounts().forEach((status, n) -> out.put(status, n.sum()));
    return out;
  }

  /** Deletes every document and resets the counters. */
  public void reset() {
    store.clear();
    handler.statusCounts().clear();
  }

  /** Stops serving. */
  public Future<Void> close() {
    return Future.all(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
  }

  /** One event loop's HTTP server; instances share the port. */
  static final class ServerVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler;
    private final AtomicInteger bound;
    private HttpServer server;

    ServerVerticle(HttpServerOptions options, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler, AtomicInteger bound) {
      this.options = options;
      this.handler = handler;
      this.bound = bound;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer(options).requestHandler(handler);
      return server.listen().onSuccess(s -> bound.set(s.actualPort()));
    }

    @Override
    public Future<?> stop() {
      return server.close();
    }
  }
}
