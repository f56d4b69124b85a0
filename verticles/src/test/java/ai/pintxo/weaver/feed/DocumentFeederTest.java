package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feeder's control flow against a scripted transport, on one Vert.x context as in the connector. */
class DocumentFeederTest {

  private Vertx vertx;
  private Context context;
  private SimpleMeterRegistry registry;
  private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
  private final ArrayDeque<Promise<VespaResponse>> open = new ArrayDeque<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T on(Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  /** Answers the oldest open request, on the feeder's context. */
  private void answer(java.util.function.Consumer<Promise<VespaResponse>> how) throws Exception {
    on(() -> {
      how.accept(open.poll());
      return null;
    });
  }

  private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

  /** The feeder's own clock (feed-blocked pauses): the JVM's, unless a test drives it. */
  private java.util.function.LongSupplier feederClock = System::nanoTime;

  /** A feeder with a fixed limit (a throttler that does not adapt) and a breaker on a test clock. */
  private DocumentFeeder feeder(int maxInflight, VespaTransport transport) {
    return feeder(maxInflight, transport, true);
  }

  private DocumentFeeder feeder(int maxInflight, VespaTransport transport, boolean coalesce) {
    VespaFeedOptions options = new VespaFeedOptions().setMaxInflight(maxInflight).setCoalesceUpdates(coalesce)
        .setMinBackoff(Duration.ofMillis(5)).setMaxBackoff(Duration.ofMillis(20));
    Throttler fixed = new Throttler() {
      @Override
      public int limit() {
        return maxInflight;
      }

      @Override
      public void success(long latencyNanos, int inflight) {
      }

      @Override
      public void throttled() {
      }
    };
    return new DocumentFeeder(vertx, transport, options, new FeedMetrics(registry, "test"), fixed,
        new CircuitBreaker(Duration.ofSeconds(10).toNanos(), Duration.ofMillis(50).toNanos(), clock::get), feederClock);
  }

  /** A transport whose answers the test gives, one request at a time. */
  private VespaTransport manual() {
    return new VespaTransport() {
      @Override
      public Future<VespaResponse> send(DocumentOperation operation, long timeoutMillis) {
        sent.add(name(operation));
        Promise<VespaResponse> p = Promise.promise();
        open.add(p);
        return p.future();
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  private static DocumentOperation op(String id, String value) {
    return DocumentUpdate.upsert(DocumentId.pintxo("tokens", id)).assign("name", value).build();
  }

  private static String name(DocumentOperation op) {
    return op.id().userSpecific() + "=" + ((ai.pintxo.weaver.codecs.vespa.FieldValue.Text) ((DocumentUpdate) op).assigns().get("name")).value();
  }

  private static VespaResponse status(int code) {
    return new VespaResponse(code, code == 200 ? "" : "status " + code, 1_000_000);
  }

  @Test
  void operationsOnOneDocumentGoOneAfterTheOtherInOrderOthersInParallel() throws Exception {
    DocumentFeeder feeder = feeder(100, manual(), false);
    List<Future<FeedOutcome>> outcomes = on(() -> List.of(
        feeder.feed(op("a", "1")), feeder.feed(op("b", "1")), feeder.feed(op("a", "2")), feeder.feed(op("a", "3"))));
    assertThat(sent).as("a=2 waits for a=1; b goes in parallel").containsExactly("a=1", "b=1");
    answer(p -> p.complete(status(200)));
    assertThat(sent).containsExactly("a=1", "b=1", "a=2");
    answer(p -> p.complete(status(200)));
    answer(p -> p.complete(status(200)));
    assertThat(sent).containsExactly("a=1", "b=1", "a=2", "a=3");
    answer(p -> p.complete(status(200)));
    assertThat(outcomes).allSatisfy(f -> assertThat(f.result().success()).isTrue());
    assertThat(on(feeder::pending)).isZero();
  }

  @Test
  void waitingUpdatesOfADocumentAreMergedIntoOneRequestAndShareItsOutcome() throws Exception {
    DocumentFeeder feeder = feeder(100, manual());
    List<Future<FeedOutcome>> outcomes = on(() -> List.of(
        feeder.feed(op("a", "1")), feeder.feed(op("a", "2")), feeder.feed(op("b", "1")), feeder.feed(op("a", "3")),
        feeder.feed(op("a", "4"))));
    assertThat(sent).as("a=1 is in flight; a=2..4 wait").containsExactly("a=1", "b=1");
    answer(p -> p.complete(status(200)));
    assertThat(sent).as("the waiting updates went as one, with the last value").containsExactly("a=1", "b=1", "a=4");
    answer(p -> p.complete(status(200)));
    assertThat(outcomes.get(1).isComplete()).as("a=2 shares the merged request's outcome").isFalse();
    answer(p -> p.complete(status(200)));
    assertThat(outcomes).allSatisfy(f -> assertThat(f.result().success()).isTrue());
    assertThat(on(feeder::pending)).isZero();
  }

  @Test
  void mergedUpdatesKeepEveryFieldWithTheLatestValue() {
    DocumentId id = DocumentId.pintxo("price", "BTC");
    DocumentUpdate first = DocumentUpdate.upsert(id).assign("price", 1.0).assign("symbol", "BTC").build();
    DocumentUpdate second = DocumentUpdate.upsert(id).assign("price", 2.0).assign("expo", -8L).build();
    DocumentUpdate merged = first.mergedWith(second);
    assertThat(merged.assigns().keySet()).containsExactly("price", "symbol", "expo");
    assertThat(merged.assigns().get("price")).isEqualTo(second.assigns().get("price"));
    assertThat(merged.create()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.mergedWith(
        DocumentUpdate.upsert(DocumentId.pintxo("price", "ETH")).assign("price", 1.0).build())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retriesOverloadUnavailableAndTransportErrorsWithoutLimitAndKeepsOrderAcrossRetries() throws Exception {
    DocumentFeeder feeder = feeder(100, manual());
    Future<FeedOutcome> first = on(() -> feeder.feed(op("a", "1")));
    Future<FeedOutcome> second = on(() -> feeder.feed(op("a", "2")));
    int[] failures = {429, 503, 504, 500, 507, 429, 503};
    for (int code : failures) {
      answer(p -> p.complete(status(code)));
      awaitSent(sent.size() + 1);
    }
    answer(p -> p.fail(new IOException("connection reset")));
    awaitSent(failures.length + 2);
    assertThat(sent).as("a=2 is not sent while a=1 is retried").allMatch(s -> s.equals("a=1"));
    answer(p -> p.complete(status(200)));
    awaitSent(failures.length + 3);
    assertThat(first.result().attempts()).isEqualTo(failures.length + 2);
    assertThat(sent.get(sent.size() - 1)).isEqualTo("a=2");
    answer(p -> p.complete(status(200)));
    assertThat(second.result().success()).isTrue();
    assertThat(registry.find("weaver.feed.retries").tag("status", "429").counter().count()).isEqualTo(2);
    assertThat(registry.find("weaver.feed.retries").tag("status", "transport").counter().count()).isEqualTo(1);
  }

  @Test
  void permanentErrorsAreFinalAndTheNextOperationOnTheDocumentGoes() throws Exception {
    DocumentFeeder feeder = feeder(100, manual());
    Future<FeedOutcome> rejected = on(() -> feeder.feed(op("a", "1")));
    on(() -> feeder.feed(op("a", "2")));
    answer(p -> p.complete(new VespaResponse(400, "Field 'x' is not defined in document type 'tokens'", 1)));
    assertThat(rejected.result().success()).isFalse();
    assertThat(rejected.result().status()).isEqualTo(400);
    assertThat(rejected.result().message()).contains("Field 'x'");
    assertThat(sent).containsExactly("a=1", "a=2");
  }

  @Test
  void neverHasMoreThanMaxInflightRequestsOutstanding() throws Exception {
    DocumentFeeder feeder = feeder(3, manual());
    on(() -> {
      for (int i = 0; i < 10; i++) {
        feeder.feed(op("d" + i, "v"));
      }
      return null;
    });
    assertThat(sent).hasSize(3);
    assertThat(on(feeder::inflight)).isEqualTo(3);
    assertThat(on(feeder::pending)).isEqualTo(10);
    answer(p -> p.complete(status(200)));
    assertThat(sent).hasSize(4);
    assertThat(on(feeder::inflight)).isEqualTo(3);
  }

  @Test
  void closingFailsWhatIsNotAcknowledgedSoItIsNotCommitted() throws Exception {
    DocumentFeeder feeder = feeder(1, manual());
    Future<FeedOutcome> inflight = on(() -> feeder.feed(op("a", "1")));
    Future<FeedOutcome> queued = on(() -> feeder.feed(op("b", "1")));
    on(feeder::close);
    assertThat(inflight.failed()).isTrue();
    assertThat(inflight.cause()).isInstanceOf(FeederClosedException.class);
    assertThat(queued.cause()).isInstanceOf(FeederClosedException.class);
    assertThat(on(() -> feeder.feed(op("c", "1")).failed())).isTrue();
  }

  @Test
  void drainingLetsSentRequestsFinishAndSendsNothingNew() throws Exception {
    DocumentFeeder feeder = feeder(1, manual());
    Future<FeedOutcome> sentFirst = on(() -> feeder.feed(op("a", "1")));
    Future<FeedOutcome> queued = on(() -> feeder.feed(op("b", "1")));
    Future<Void> drained = on(feeder::drain);
    assertThat(drained.isComplete()).as("a=1 is still outstanding").isFalse();
    answer(p -> p.complete(status(200)));
    assertThat(drained.succeeded()).isTrue();
    assertThat(sentFirst.result().success()).as("the request sent before draining keeps its outcome").isTrue();
    assertThat(sent).as("b=1 was never sent").containsExactly("a=1");
    on(feeder::close);
    assertThat(queued.cause()).isInstanceOf(FeederClosedException.class);
  }

  @Test
  void feedBlockedPausesEverythingThenProbesOneAtATime() throws Exception {
    feederClock = clock::get; // the pause ends when the test says so
    DocumentFeeder feeder = feeder(100, manual());
    Future<FeedOutcome> a = on(() -> feeder.feed(op("a", "1")));
    on(() -> feeder.feed(op("b", "1")));
    on(() -> feeder.feed(op("c", "1")));
    assertThat(sent).hasSize(3);
    answer(p -> p.complete(new VespaResponse(507, "NO_SPACE, External feed is blocked", 1)));
    answer(p -> p.complete(new VespaResponse(507, "NO_SPACE", 1)));
    answer(p -> p.complete(new VespaResponse(507, "NO_SPACE", 1)));
    assertThat(on(feeder::inflight)).as("paused: nothing outstanding").isZero();
    // Each feed() pumps the queue on the spot: a deterministic way to ask "would you send now?".
    on(() -> feeder.feed(op("d", "1")));
    assertThat(sent).as("paused: a new document waits too").hasSize(3);
    clock.addAndGet(Duration.ofSeconds(4).toNanos() + 1); // the third 507 paused for 4 s
    on(() -> feeder.feed(op("e", "1")));
    assertThat(sent).as("after the pause, a single probe though five operations wait").hasSize(4);
    answer(p -> p.complete(status(200)));
    assertThat(sent).as("the probe succeeded: everything else goes").hasSize(8);
    for (int i = 0; i < 4; i++) {
      answer(p -> p.complete(status(200)));
    }
    assertThat(on(feeder::pending)).as("all five fed once Vespa accepted again").isZero();
    assertThat(a.result().success()).isTrue();
    assertThat(registry.find("weaver.feed.retries").tag("status", "507").counter().count()).isEqualTo(3);
  }

  @Test
  void openCircuitSendsOnlyProbesAndLosesNothing() throws Exception {
    DocumentFeeder feeder = feeder(100, manual());
    on(() -> {
      for (int i = 0; i < 5; i++) {
        feeder.feed(op("d" + i, "v"));
      }
      return null;
    });
    assertThat(sent).hasSize(5);
    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    for (int i = 0; i < 5; i++) {
      answer(p -> p.complete(status(500)));
    }
    assertThat(registry.find("weaver.feed.circuit.open").gauge().value()).as("open after 11 s of failures").isEqualTo(1.0);
    awaitSent(6);
    // The test clock stands still, so no probe interval passes: whatever pumps the queue (a retry
    // timer, a new operation) sends nothing more. feed() pumps on the spot, so this is checked now.
    on(() -> feeder.feed(op("late", "v")));
    assertThat(sent).as("retries and new operations wait for the probe: one request per probe interval").hasSize(6);
    answer(p -> p.complete(status(200)));
    awaitSent(11);
    while (on(feeder::inflight) > 0) {
      answer(p -> p.complete(status(200)));
    }
    assertThat(on(feeder::pending)).as("every operation fed once the circuit closed").isZero();
    assertThat(registry.find("weaver.feed.circuit.open").gauge().value()).isZero();
  }

  private void awaitSent(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(sent).hasSizeGreaterThanOrEqualTo(n);
  }
}
