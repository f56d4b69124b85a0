package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentRemove;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both transports ({@code vespa.transport} netty and vertx) against the emulator and against servers
 * that misbehave: the same documents land, the same failures come back, retryable where they should be.
 */
class VespaTransportTest {

  private Vertx vertx;
  private Context context;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private <T> T on(Function<VespaTransport, Future<T>> action, VespaFeedOptions options, String transport) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      VespaTransport t = VespaTransports.create(vertx, options.setTransport(transport));
      assertThat(t).isInstanceOf("netty".equals(transport) ? NettyHttp2Transport.class : HttpVespaTransport.class);
      action.apply(t).onComplete(ar -> t.close().onComplete(c -> {
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.completeExceptionally(ar.cause());
        }
      }));
    });
    return result.get(60, TimeUnit.SECONDS);
  }

  /** Feeds every operation through a {@link DocumentFeeder} and returns the outcomes in order. */
  private List<FeedOutcome> feedAll(VespaFeedOptions options, String transport, List<DocumentOperation> operations) throws Exception {
    CompletableFuture<List<FeedOutcome>> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      DocumentFeeder feeder = new DocumentFeeder(vertx, VespaTransports.create(vertx, options.setTransport(transport)), options,
          new FeedMetrics(registry, "test"));
      List<Future<FeedOutcome>> outcomes = operations.stream().map(feeder::feed).toList();
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

  private static List<DocumentOperation> tokens(int count) {
    List<DocumentOperation> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ops.add(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "t " + i)).assign("name", "Token " + i).assign("symbol", "T" + i).build());
    }
    return ops;
  }

  private double retries() {
    return registry.find("weaver.feed.retries").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void feedsEveryDocumentAndReadsVespasRejections(String transport) throws Exception {
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
    List<DocumentOperation> ops = new ArrayList<>(tokens(3_000));
    // a large value: its body is gzipped
    ops.add(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "big")).assign("name", "x".repeat(5_000)).build());
    ops.add(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "bad")).assign("noSuchField", "v").build());
    ops.add(new DocumentRemove(DocumentId.pintxo("tokens", "t 7")));
    List<FeedOutcome> outcomes = feedAll(new VespaFeedOptions().setEndpoint(vespa.endpoint()), transport, ops);

    assertThat(outcomes.subList(0, 3_001)).allSatisfy(o -> assertThat(o.success()).isTrue());
    FeedOutcome rejected = outcomes.get(3_001);
    assertThat(rejected.success()).isFalse();
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.message()).contains("noSuchField");
    assertThat(outcomes.get(3_002).success()).isTrue();
    assertThat(vespa.count("tokens")).isEqualTo(3_000); // 3,000 + big − t 7
    assertThat(vespa.document("tokens", "t 42").orElseThrow().getString("name")).isEqualTo("Token 42");
    assertThat(vespa.document("tokens", "t 7")).isEmpty();
    assertThat(vespa.document("tokens", "big").orElseThrow().getString("name")).hasSize(5_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void staysWithinAServersStreamLimit(String transport) throws Exception {
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions().setMaxConcurrentStreams(8)));
    List<FeedOutcome> outcomes = feedAll(new VespaFeedOptions().setEndpoint(vespa.endpoint()).setConnections(1), transport, tokens(1_000));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).isTrue());
    assertThat(vespa.count("tokens")).isEqualTo(1_000);
    assertThat(retries()).as("nothing refused").isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void connectionsLostInAnOutageAreRetriedUntilEverythingLands(String transport) throws Exception {
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
    vespa.faults().outage(300);
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(vespa.endpoint()).setMinBackoff(Duration.ofMillis(20))
        .setMaxBackoff(Duration.ofMillis(100));
    List<FeedOutcome> outcomes = feedAll(options, transport, tokens(500));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).isTrue());
    assertThat(vespa.count("tokens")).isEqualTo(500);
    assertThat(retries()).as("requests on the lost connections were retried").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void aServerThatSaysGoAwayGetsTheRestOnANewConnection(String transport) throws Exception {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger connections = new AtomicInteger();
    List<String> stored = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpServer server = Await.result(vertx.createHttpServer(new HttpServerOptions()
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(512)))
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(body -> {
          stored.add(req.path());
          req.response().end("{\"id\":\"x\"}");
          if (requests.incrementAndGet() % 100 == 0) {
            req.connection().shutdown(5, TimeUnit.SECONDS); // GOAWAY, then close once its streams are done
          }
        }))
        .listen(0, "127.0.0.1"));
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint("http://127.0.0.1:" + server.actualPort()).setConnections(1)
        .setMinBackoff(Duration.ofMillis(5)).setMaxBackoff(Duration.ofMillis(20));
    List<FeedOutcome> outcomes = feedAll(options, transport, tokens(1_000));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).isTrue());
    assertThat(new java.util.HashSet<>(stored)).hasSize(1_000);
    assertThat(connections.get()).as("a new connection after each GOAWAY").isGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void aRequestNeverAnsweredFailsWithATimeoutAfterVespasTimeoutAndTheMargin(String transport) throws Exception {
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(req -> {
    }).listen(0, "127.0.0.1"));
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint("http://127.0.0.1:" + server.actualPort());
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      on(t -> t.send(tokens(1).get(0), 200), options, transport);
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(failure).isNotNull(); // netty: the TimeoutException; vertx: a stream reset caused by it
    assertThat(FailureCause.of(failure)).isEqualTo(FailureCause.TIMEOUT);
    assertThat(millis).as("not before Vespa's timeout and the margin").isGreaterThanOrEqualTo(5_200);
  }
}
