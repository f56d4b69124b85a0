package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.testkit.junit.Await;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The feeder behind a proxy that speaks only HTTP/1.1 ({@code vespa.protocol} http1 or auto), and
 * against an endpoint that refuses connections: the circuit's log lines name the endpoint and the
 * cause, and a dead endpoint writes a few lines, not one per request.
 */
class VespaProtocolTest {

  private Vertx vertx;
  private Context context;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  /** Everything at WARN and above, whoever writes it (the HTTP client included). */
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final List<HttpVersion> versionsSeen = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> stored = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
    Await.result(vertx.close());
  }

  /** A proxy in front of Vespa that speaks only HTTP/1.1 and answers as /document/v1 does. */
  private String http1OnlyVespa() {
    HttpServer server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(req -> req.body().onSuccess(body -> {
          versionsSeen.add(req.version());
          String pathId = req.path();
          stored.add(pathId.substring(pathId.lastIndexOf('/') + 1));
          req.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("id", "id:pintxo:tokens::x").put("pathId", pathId).encode());
        }))
        .listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort();
  }

  private List<FeedOutcome> feedAll(VespaFeedOptions options, int documents) throws Exception {
    CompletableFuture<List<FeedOutcome>> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      DocumentFeeder feeder = new DocumentFeeder(vertx, VespaTransports.create(vertx, options), options,
          new FeedMetrics(new SimpleMeterRegistry(), "test"));
      List<Future<FeedOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < documents; i++) {
        outcomes.add(feeder.feed(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "d" + i)).assign("name", "Token " + i).build()));
      }
      Future.all(outcomes).onComplete(ar -> feeder.close().onComplete(c -> {
        if (ar.succeeded()) {
          result.complete(outcomes.stream().map(Future::result).toList());
        } else {
          result.completeExceptionally(ar.cause());
        }
      }));
    });
    return result.get(60, TimeUnit.SECONDS);
  }

  @Test
  void http1FeedsAProxyThatSpeaksOnlyHttp11() throws Exception {
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(http1OnlyVespa()).setProtocol("http1");
    List<FeedOutcome> outcomes = feedAll(options, 200);
    assertThat(outcomes).hasSize(200).allSatisfy(o -> assertThat(o.success()).isTrue());
    assertThat(stored).hasSize(200);
    assertThat(versionsSeen).containsOnly(HttpVersion.HTTP_1_1);
    assertThat(warnings()).as("nothing to warn about").isEmpty();
  }

  @Test
  void autoFallsBackToHttp11OnceAndFeedsEverything() throws Exception {
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(http1OnlyVespa()).setProtocol("auto");
    List<FeedOutcome> outcomes = feedAll(options, 200);
    assertThat(outcomes).hasSize(200).allSatisfy(o -> assertThat(o.success()).isTrue());
    assertThat(stored).hasSize(200);
    assertThat(versionsSeen).containsOnly(HttpVersion.HTTP_1_1);
    assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("feed.protocol_fallback")).as("said once").hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void http2AgainstAnHttp11ProxySaysWhatToSetAndWritesAFewLinesASecond(String transport) throws Exception {
    String endpoint = http1OnlyVespa();
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(endpoint).setTransport(transport).setCircuitBreakerGrace(Duration.ofMillis(500))
        .setMinBackoff(Duration.ofMillis(1)).setMaxBackoff(Duration.ofMillis(20));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ILoggingEvent> lines = feedForThreeSeconds(options, registry);
    double retries = registry.find("weaver.feed.retries").counters().stream().mapToDouble(c -> c.count()).sum();

    assertThat(retries).as("requests failed and were retried").isPositive();
    assertThat(stored).isEmpty();
    assertThat(lines).filteredOn(e -> e.getFormattedMessage().startsWith("feed.protocol_mismatch")).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("vespa.protocol"));
    assertThat(lines).filteredOn(e -> e.getFormattedMessage().startsWith("feed.circuit_open")).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains(endpoint).contains("protocol"));
    List<ILoggingEvent> logged = lines.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
    assertThat(logged).as("a few lines a second, not one per request: " + messages(logged)).hasSizeLessThanOrEqualTo(15);
  }

  private List<ILoggingEvent> feedForThreeSeconds(VespaFeedOptions options, SimpleMeterRegistry registry) throws Exception {
    DocumentFeeder[] feeder = new DocumentFeeder[1];
    context.runOnContext(v -> {
      feeder[0] = new DocumentFeeder(vertx, VespaTransports.create(vertx, options), options, new FeedMetrics(registry, "test"));
      for (int i = 0; i < 100; i++) {
        feeder[0].feed(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "d" + i)).assign("name", "n").build());
      }
    });
    Thread.sleep(3_000);
    List<ILoggingEvent> lines = new ArrayList<>(logs.list);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> feeder[0].close().onComplete(ar -> closed.complete(null)));
    closed.get(10, TimeUnit.SECONDS);
    return lines;
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void refusedConnectionsOpenTheCircuitNamingTheEndpointAndTheCauseInAFewLines(String transport) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    String endpoint = "http://127.0.0.1:" + port;
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(endpoint).setTransport(transport).setCircuitBreakerGrace(Duration.ofMillis(500))
        .setCircuitBreakerProbeInterval(Duration.ofMillis(100)).setMinBackoff(Duration.ofMillis(1)).setMaxBackoff(Duration.ofMillis(20));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ILoggingEvent> lines = feedForThreeSeconds(options, registry);
    double retries = registry.find("weaver.feed.retries").counters().stream().mapToDouble(c -> c.count()).sum();

    assertThat(retries).as("requests failed and were retried").isPositive();
    ILoggingEvent open = lines.stream().filter(e -> e.getFormattedMessage().startsWith("feed.circuit_open")).findFirst()
        .orElseThrow(() -> new AssertionError("no feed.circuit_open line in " + messages(lines)));
    assertThat(open.getLevel()).isEqualTo(Level.WARN);
    assertThat(open.getFormattedMessage()).contains(endpoint).contains("connection refused");
    assertThat(open.getKeyValuePairs()).anySatisfy(kv -> {
      assertThat(kv.key).isEqualTo("cause");
      assertThat(kv.value).isEqualTo("connection refused");
    });
    List<ILoggingEvent> warnings = lines.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
    assertThat(warnings).as("a few lines for thousands of failed requests: " + messages(warnings)).hasSizeLessThanOrEqualTo(10);
  }

  private List<ILoggingEvent> warnings() {
    return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
  }

  private static List<String> messages(List<ILoggingEvent> events) {
    return events.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
  }
}
