package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.impl.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.grpc.client.GrpcClient;
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

  @Override
  public Future<?> start() {
    SubstreamsMetrics metrics = new SubstreamsMetrics(WeaverMetrics.registry(vertx), options.getName());
    Prepared[] prepared = new Prepared[1];
    SubstreamsCursor[] stored = new SubstreamsCursor[1];
    return vertx.executeBlocking(() -> Prepared.of(options, env, metrics))
        .compose(p -> {
          prepared[0] = p;
          return TopicCreator.ensure(vertx, options.getKafka(), CursorStore.dataTopics(options.topic()));
        })
        .compose(v -> CursorStore.ensureTopic(vertx, options.getKafka(), options.getCursorTopic()))
        .compose(v -> CursorStore.read(vertx, options.getKafka(), options.getCursorTopic(), options.getName()))
        .compose(cursor -> {
          prepared[0].checkModuleHash(options, cursor);
          stored[0] = cursor.orElse(null);
          sink = new TransactionalSink(vertx, options.getKafka(), "weaver-substreams-" + options.getName(), options.getCursorTopic());
          return sink.start();
        })
        .onSuccess(v -> {
          client = GrpcStreams.client(vertx, options);
          substream = new Substream(vertx, options, prepared[0], metrics, sink, client, stored[0], time, completion);
          LOG.atInfo().addKeyValue("substream", options.getName())
              .addKeyValue("package", prepared[0].pkg().name() + " " + prepared[0].pkg().version())
              .addKeyValue("outputModule", options.getOutputModule()).addKeyValue("moduleHash", prepared[0].moduleHash())
              .addKeyValue("endpoint", options.getEndpoint()).addKeyValue("topic", options.topic())
              .addKeyValue("resumeBlock", substream.resumeBlock("none")).addKeyValue("undoBuffer", options.effectiveUndoBufferSize())
              .log("substreams.started");
          substream.start();
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> drained = substream == null ? Future.succeededFuture() : substream.stop();
    return drained
        .compose(v -> sink == null ? Future.succeededFuture() : sink.close())
        .eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }
}
