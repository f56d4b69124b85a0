package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.feed.DocumentFeeder;
import ai.pintxo.weaver.feed.FeedMetrics;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.feed.VespaTransports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The weaver's feeder ({@link DocumentFeeder} over the transport {@code vespa.transport} names, adaptive
 * limit) with a bounded submission window, as the engine connector drives it: {@code weaver} with the
 * netty transport, {@code weaver-vertx} with the Vert.x HTTP client (the feeder of issue 5).
 */
final class WeaverRunner extends FeedClientRunner {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final DocumentFeeder feeder;
  private final int window;

  private final String transport;

  WeaverRunner(String endpoint, int connections, int streams, String transport) throws Exception {
    super(endpoint, connections, streams);
    // Every operation is its own request, as with the other clients (no merging of waiting updates).
    VespaFeedOptions options = new VespaFeedOptions().setCoalesceUpdates(false).setEndpoint(endpoint).setConnections(connections)
        .setMaxStreamsPerConnection(streams).setMaxInflight(connections * streams).setTransport(transport);
    this.transport = transport;
    this.window = 2 * connections * streams;
    CompletableFuture<DocumentFeeder> created = new CompletableFuture<>();
    context.runOnContext(v -> created.complete(new DocumentFeeder(vertx, VespaTransports.create(vertx, options), options,
        new FeedMetrics(new SimpleMeterRegistry(), "bench"))));
    this.feeder = created.get();
  }

  @Override
  protected String name() {
    return "netty".equals(transport) ? "weaver" : "weaver-" + transport;
  }

  @Override
  protected long feed(List<DocumentUpdate> ops, long[] latencies) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    context.runOnContext(v -> new Submitter(ops, latencies, done).next());
    return done.get();
  }

  /** Keeps at most {@code window} operations pending in the feeder, like the connector's buffer. */
  private final class Submitter {
    final List<DocumentUpdate> ops;
    final long[] latencies;
    final CompletableFuture<Long> done;
    int submitted;
    int completed;
    long errors;

    Submitter(List<DocumentUpdate> ops, long[] latencies, CompletableFuture<Long> done) {
      this.ops = ops;
      this.latencies = latencies;
      this.done = done;
    }

    void next() {
      while (submitted < ops.size() && submitted - completed < window) {
        int i = submitted++;
        feeder.feed(ops.get(i)).onComplete(ar -> {
          completed++;
          if (ar.succeeded() && ar.result().success()) {
            latencies[i] = ar.result().latencyNanos();
          } else {
            errors++;
          }
          if (completed == ops.size()) {
            done.complete(errors);
          } else {
            next();
          }
        });
      }
    }
  }

  @Override
  protected void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
