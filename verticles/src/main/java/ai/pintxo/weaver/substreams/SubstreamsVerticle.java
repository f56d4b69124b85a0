package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.cluster.UnitWorker;
import ai.pintxo.weaver.cluster.Units;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.grpc.client.GrpcClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one Substreams package's output module into Kafka: typed, resumable, reorg-safe and
 * exactly once. This verticle prepares the package, the topics and the stored cursor, then hands
 * over to a {@link Substream}, which holds the control flow.
 *
 * <p>Flow: blocks arrive on the gRPC stream ({@link StreamSession}), are decoded and mapped on this
 * verticle's event loop ({@link StreamHandler}, {@link BlockProcessor}), wait in the
 * {@link UndoBuffer} until final, then queue for Kafka ({@link CommitPipeline}). One transaction at
 * a time ({@link TransactionalSink}) carries every queued block's records and the cursor after the
 * last one; while it runs, the next batch gathers. When too many blocks queue, the stream is paused,
 * so HTTP/2 flow control makes the server wait for a slow Kafka instead of filling memory.
 * With {@code undoMode: "propagate"} blocks skip the undo buffer and undo signals become
 * compensating records ({@link ReorgPropagation}).
 *
 * <p>Resilience: a retryable gRPC status, a failed commit, inactivity or a missed keepalive ping
 * ({@link Watchdog}) drop the uncommitted blocks and reconnect with the last committed cursor after
 * a backoff (reset by data). A fatal status, an undo below a released block or a fenced producer
 * stop the substream with one clear error, exposed by {@link #completion()}.
 *
 * <p>Threading: all state is confined to the verticle's event loop.
 */
public final class SubstreamsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);

  private final SubstreamsOptions options;
  private final Map<String, String> env;
  private final TimeSource time;
  private final Promise<Void> completion = Promise.promise();

  private SubstreamsMetrics metrics;
  private Prepared prepared;
  private Units units;
  private TransactionalSink sink;
  private GrpcClient client;
  private Substream substream;

  /** A substream whose API key or token comes from the process environment. */
  public SubstreamsVerticle(SubstreamsOptions options) {
    this(options, System.getenv());
  }

  /**
   * @param options the substream
   * @param env     the environment the API key or token is read from
   */
  public SubstreamsVerticle(SubstreamsOptions options, Map<String, String> env) {
    this(options, env, TimeSource.system());
  }

  /** @param time the clocks of the watchdog, the progress log and the cursor's timestamp */
  SubstreamsVerticle(SubstreamsOptions options, Map<String, String> env, TimeSource time) {
    this.options = options.validate(); // options built in Java get the errors a deployment file gets, before anything starts
    this.env = Map.copyOf(env);
    this.time = time;
  }

  /** @return completes when the stop block is reached and committed; fails when the substream stops on an error */
  public Future<Void> completion() {
    return completion.future();
  }

  /**
   * Prepares the package and the topics, then joins the pipeline's group: the substream is one unit
   * of work, so among every instance of every process only the one Kafka gives it to streams.
   */
  @Override
  public Future<?> start() {
    metrics = new SubstreamsMetrics(WeaverMetrics.registry(vertx), options.getName());
    return vertx.executeBlocking(() -> Prepared.of(options, env, metrics))
        .compose(p -> {
          prepared = p;
          return TopicCreator.ensure(vertx, options.getKafka(), CursorStore.dataTopics(options.topic()));
        })
        .compose(v -> CursorStore.ensureTopic(vertx, options.getKafka(), options.getCursorTopic()))
        // A changed module refuses to start here, before joining, as well as when the unit starts.
        .compose(v -> CursorStore.read(vertx, options.getKafka(), options.getCursorTopic(), options.getName()))
        .compose(cursor -> {
          prepared.checkModuleHash(options, cursor);
          units = new Units(vertx, options.getKafka(), options.getCluster(), SubstreamsProvider.TYPE, List.of(options.getName()),
              new UnitWorker() {
                @Override
                public Future<Void> startUnit(String unit, UnitReporter reporter) {
                  return run(reporter);
                }

                @Override
                public Future<Void> stopUnit(String unit) {
                  return halt();
                }
              });
          return units.start();
        });
  }

  /**
   * Reads the cursor the last owner committed and streams from it. The transactional producer's
   * initialisation fences any earlier owner still alive, so a zombie cannot write.
   */
  private Future<Void> run(UnitReporter reporter) {
    Promise<Void> ended = Promise.promise();
    ended.future().onComplete(ar -> {
      if (ar.succeeded()) {
        reporter.finished("reached stop block " + options.getStopBlock());
        completion.tryComplete();
      } else {
        reporter.stopped(ar.cause().getMessage());
        completion.tryFail(ar.cause());
      }
    });
    return CursorStore.read(vertx, options.getKafka(), options.getCursorTopic(), options.getName())
        .compose(cursor -> {
          prepared.checkModuleHash(options, cursor);
          sink = new TransactionalSink(vertx, options.getKafka(), CursorStore.transactionalId(options.getName()), options.getCursorTopic());
          return sink.start().map(cursor.orElse(null));
        })
        .onSuccess(stored -> {
          client = GrpcStreams.client(vertx, options);
          substream = new Substream(vertx, options, prepared, metrics, sink, client, stored, time, ended, reporter);
          LOG.atInfo().addKeyValue("substream", options.getName())
              .addKeyValue("package", prepared.pkg().name() + " " + prepared.pkg().version())
              .addKeyValue("outputModule", options.getOutputModule()).addKeyValue("moduleHash", prepared.moduleHash())
              .addKeyValue("endpoint", options.getEndpoint()).addKeyValue("topic", options.topic())
              .addKeyValue("resumeBlock", substream.resumeBlock("none")).addKeyValue("undoBuffer", options.effectiveUndoBufferSize())
              .addKeyValue("undoMode", options.getUndoMode())
              .addKeyValue("member", options.getCluster().member())
              .log("substreams.started");
          substream.start();
        })
        .onFailure(err -> {
          reporter.stopped(err.getMessage());
          completion.tryFail(err);
        })
        .mapEmpty();
  }

  /** Cancels the call, lets the transaction in flight end, and closes the producer. */
  private Future<Void> halt() {
    Substream running = substream;
    TransactionalSink runningSink = sink;
    GrpcClient runningClient = client;
    substream = null;
    sink = null;
    client = null;
    Future<Void> drained = running == null ? Future.succeededFuture() : running.stop();
    return drained
        .compose(v -> runningSink == null ? Future.<Void>succeededFuture() : runningSink.close())
        .eventually(() -> runningClient == null ? Future.succeededFuture() : runningClient.close());
  }

  @Override
  public Future<?> stop() {
    return units == null ? Future.succeededFuture() : units.stop();
  }
}
