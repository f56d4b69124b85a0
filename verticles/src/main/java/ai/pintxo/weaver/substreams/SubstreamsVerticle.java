package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.http.ReconnectBackoff;
import ai.pintxo.weaver.kafka.TopicCreator;
import ai.pintxo.weaver.metrics.WeaverMetrics;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockScopedData;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockUndoSignal;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.SessionInit;
import ai.pintxo.weaver.substreams.pb.v1.Modules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one Substreams package's output module into Kafka: typed, resumable, reorg-safe and
 * exactly once. This class holds all of the substream's control flow; everything else is a pure
 * part ({@link UndoBuffer}, {@link BlockProcessor}, {@link StreamErrors}) or a blocking one on its
 * own worker ({@link TransactionalSink}, {@link CursorStore}).
 *
 * <p>Flow: blocks arrive on the gRPC stream, are decoded and mapped on this verticle's event loop,
 * wait in the undo buffer until final, then queue for Kafka. One transaction at a time carries
 * every queued block's records and the cursor after the last one; while it runs, the next batch
 * gathers. When too many blocks queue, the stream is paused, so HTTP/2 flow control makes the
 * server wait for a slow Kafka instead of filling memory.
 *
 * <p>Resilience: a retryable gRPC status, a failed commit, inactivity or a missed keepalive ping
 * drop the uncommitted blocks and reconnect with the last committed cursor after a backoff (reset by
 * data). A fatal status, an undo below a released block or a fenced producer stop the substream
 * with one clear error, exposed by {@link #completion()}.
 *
 * <p>Threading: all state is confined to the verticle's event loop.
 */
public final class SubstreamsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);
  private static final long KEEPALIVE_TIMEOUT_MILLIS = 10_000;
  private static final long PROGRESS_LOG_MILLIS = 15_000;

  private final SubstreamsOptions options;
  private final Map<String, String> env;
  private final Promise<Void> completion = Promise.promise();
  private final ArrayDeque<PendingBlock> pending = new ArrayDeque<>();

  private Prepared prepared;
  private SubstreamsMetrics metrics;
  private TransactionalSink sink;
  private GrpcClient client;
  private SocketAddress address;
  private UndoBuffer buffer;
  private ReconnectBackoff backoff;
  private SubstreamsCursor committed;

  private int generation;
  private GrpcClientRequest<Request, Response> request;
  private GrpcClientResponse<Request, Response> response;
  private boolean paused;
  private boolean streamEnded;
  private boolean stopped;
  private boolean commitInFlight;
  private boolean connectAfterCommit;
  private Promise<Void> commitDrained;
  private long lastActivityNanos;
  private long lastPingNanos;
  private long timer = -1;
  private long logBlocks;
  private long logRecords;
  private long logNanos;
  private long blocksCommitted;
  private long recordsCommitted;

  /** A substream whose API key or token comes from the process environment. */
  public SubstreamsVerticle(SubstreamsOptions options) {
    this(options, System.getenv());
  }

  /**
   * @param options the substream
   * @param env     the environment the API key or token is read from
   */
  public SubstreamsVerticle(SubstreamsOptions options, Map<String, String> env) {
    this.options = options;
    this.env = Map.copyOf(env);
  }

  /** @return completes when the stop block is reached and committed; fails when the substream stops on an error */
  public Future<Void> completion() {
    return completion.future();
  }

  @Override
  public Future<?> start() {
    metrics = new SubstreamsMetrics(WeaverMetrics.registry(vertx), options.getName());
    buffer = new UndoBuffer(options.effectiveUndoBufferSize());
    backoff = new ReconnectBackoff(options.getMinBackoff(), options.getMaxBackoff());
    String[] hostPort = options.getEndpoint().split(":");
    address = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort[1]), hostPort[0]);
    return vertx.executeBlocking(() -> Prepared.of(options, env, metrics))
        .compose(p -> {
          prepared = p;
          return TopicCreator.ensure(vertx, options.getKafka(), CursorStore.dataTopics(options.topic()));
        })
        .compose(v -> CursorStore.ensureTopic(vertx, options.getKafka(), options.getCursorTopic()))
        .compose(v -> CursorStore.read(vertx, options.getKafka(), options.getCursorTopic(), options.getName()))
        .compose(stored -> {
          checkModuleHash(stored);
          committed = stored.orElse(null);
          sink = new TransactionalSink(vertx, options.getKafka(), "weaver-substreams-" + options.getName(), options.getCursorTopic());
          return sink.start();
        })
        .onSuccess(v -> {
          client = GrpcStreams.client(vertx, options);
          LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("package", prepared.pkg().name() + " " + prepared.pkg().version())
              .addKeyValue("outputModule", options.getOutputModule()).addKeyValue("moduleHash", prepared.moduleHash())
              .addKeyValue("endpoint", options.getEndpoint()).addKeyValue("topic", options.topic())
              .addKeyValue("resumeBlock", committed == null ? "none" : Long.toString(committed.blockNumber()))
              .addKeyValue("undoBuffer", options.effectiveUndoBufferSize())
              .log("substreams.started");
          logNanos = System.nanoTime();
          timer = vertx.setPeriodic(1000, t -> tick());
          connect();
        });
  }

  private void checkModuleHash(Optional<SubstreamsCursor> stored) {
    if (stored.isEmpty() || stored.get().moduleHash() == null || stored.get().moduleHash().equals(prepared.moduleHash())) {
      return;
    }
    String message = "substream " + options.getName() + ": output module hash changed from " + stored.get().moduleHash() + " to "
        + prepared.moduleHash() + " since the stored cursor (block " + stored.get().blockNumber() + ")";
    if (!options.isAllowModuleHashChange()) {
      throw new SubstreamsException(message + "; refusing to resume (set allowModuleHashChange to resume anyway, or use another name)");
    }
    LOG.atWarn().addKeyValue("substream", options.getName()).log("substreams.module_hash_changed: {}; resuming as allowed", message);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    if (commitInFlight) {
      connectAfterCommit = true;
      return;
    }
    int gen = ++generation;
    buffer.reset(committed == null ? -1 : committed.blockNumber(), committed == null ? "" : committed.blockId());
    pending.clear();
    paused = false;
    streamEnded = false;
    lastActivityNanos = System.nanoTime();
    lastPingNanos = lastActivityNanos;
    Request req = request();
    client.request(address, GrpcStreams.BLOCKS)
        .compose(r -> {
          if (gen != generation) {
            r.cancel();
            return Future.failedFuture("superseded");
          }
          request = r;
          prepared.auth().ifPresent(h -> r.headers().set(h.getKey(), h.getValue()));
          r.headers().set("x-user-agent", "pintxo-weaver");
          return r.send(req);
        })
        .onSuccess(resp -> {
          if (gen != generation) {
            return;
          }
          response = resp;
          resp.handler(m -> onMessage(gen, m));
          resp.exceptionHandler(err -> onFailure(gen, err));
          resp.endHandler(v -> onEnd(gen, resp));
        })
        .onFailure(err -> onFailure(gen, err));
  }

  private Request request() {
    Request.Builder b = Request.newBuilder()
        .setOutputModule(options.getOutputModule())
        .setModules(prepared.modules())
        .setProductionMode(options.isProductionMode())
        .setFinalBlocksOnly(options.isFinalBlocksOnly())
        .setStartBlockNum(options.getStartBlock() != null ? options.getStartBlock() : prepared.initialBlock());
    if (options.getStopBlock() > 0) {
      // Extended by the undo buffer so that its last blocks can become final (the Go sink does the same).
      b.setStopBlockNum(options.getStopBlock() + options.effectiveUndoBufferSize());
    }
    if (committed != null) {
      b.setStartCursor(committed.cursor());
    }
    return b.build();
  }

  private void onMessage(int gen, Response m) {
    if (gen != generation) {
      return;
    }
    lastActivityNanos = System.nanoTime();
    switch (m.getMessageCase()) {
      case SESSION -> {
        SessionInit s = m.getSession();
        LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("traceId", s.getTraceId())
            .addKeyValue("resolvedStartBlock", s.getResolvedStartBlock()).addKeyValue("linearHandoffBlock", s.getLinearHandoffBlock())
            .addKeyValue("maxParallelWorkers", s.getMaxParallelWorkers()).addKeyValue("chainHead", s.getChainHead())
            .log("substreams.session");
        if (committed != null && s.getResolvedStartBlock() != 0 && s.getResolvedStartBlock() > committed.blockNumber() + 1) {
          LOG.atWarn().addKeyValue("substream", options.getName()).log("substreams.resume_gap: resolved start {} is after the cursor's block {} + 1"
              + " (the chain may skip block numbers)", s.getResolvedStartBlock(), committed.blockNumber());
        }
      }
      case PROGRESS -> metrics.progressMessages.increment();
      case BLOCK_SCOPED_DATA -> onBlock(m.getBlockScopedData());
      case BLOCK_UNDO_SIGNAL -> onUndo(m.getBlockUndoSignal());
      case FATAL_ERROR -> LOG.atError().addKeyValue("substream", options.getName()).addKeyValue("module", m.getFatalError().getModule())
          .log("substreams.server_error: {}", m.getFatalError().getReason());
      default -> {
        // debug snapshots are not requested; unknown messages of newer servers are ignored
      }
    }
  }

  private void onBlock(BlockScopedData data) {
    backoff.reset();
    long number = data.getClock().getNumber();
    metrics.blockNumber.set(number);
    metrics.finalBlockHeight.set(data.getFinalBlockHeight());
    metrics.headDriftSeconds.set(Math.max(0, System.currentTimeMillis() / 1000 - data.getClock().getTimestamp().getSeconds()));
    List<PendingBlock> released;
    if (options.getStopBlock() > 0 && number >= options.getStopBlock()) {
      released = buffer.releaseFinal(data.getFinalBlockHeight()); // past the stop block: only confirms earlier ones
    } else {
      try {
        released = buffer.push(prepared.processor().process(data), data.getFinalBlockHeight());
      } catch (IllegalStateException e) {
        fatal("stream out of order: " + e.getMessage());
        return;
      }
    }
    pending.addAll(released);
    flush();
    if (!paused && pending.size() >= options.getMaxPendingBlocks() && response != null) {
      paused = true;
      metrics.pauses.increment();
      response.pause();
    }
  }

  private void onUndo(BlockUndoSignal undo) {
    metrics.undoSignals.increment();
    try {
      int dropped = buffer.undo(undo.getLastValidBlock().getNumber(), undo.getLastValidBlock().getId());
      LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("lastValidBlock", undo.getLastValidBlock().getNumber())
          .addKeyValue("dropped", dropped).log("substreams.undo");
    } catch (UndoBuffer.UndoTooDeepException e) {
      fatal(e.getMessage());
    }
  }

  private void flush() {
    if (commitInFlight || pending.isEmpty() || stopped) {
      return;
    }
    List<PendingBlock> batch = new ArrayList<>(Math.min(pending.size(), options.getMaxBatchBlocks()));
    while (!pending.isEmpty() && batch.size() < options.getMaxBatchBlocks()) {
      batch.add(pending.poll());
    }
    PendingBlock last = batch.get(batch.size() - 1);
    SubstreamsCursor cursor = new SubstreamsCursor(options.getName(), last.cursor(), last.block().number(), last.block().id(),
        options.getOutputModule(), prepared.moduleHash(), System.currentTimeMillis());
    commitInFlight = true;
    sink.commit(batch, cursor, SubstreamsCursor.TOPIC.encode(cursor)).onComplete(ar -> {
      commitInFlight = false;
      if (ar.succeeded()) {
        committed(batch, cursor);
      } else if (TransactionalSink.isFenced(ar.cause())) {
        fatal("another instance took over substream " + options.getName() + " (its Kafka producer was fenced)");
      } else if (!stopped) {
        LOG.atWarn().addKeyValue("substream", options.getName()).addKeyValue("blocks", batch.size())
            .log("substreams.commit_failed: {}; resuming from the last committed cursor", String.valueOf(ar.cause()));
        retry("Kafka transaction failed");
      }
      if (commitDrained != null) {
        commitDrained.tryComplete();
      }
      if (connectAfterCommit && !stopped) {
        connectAfterCommit = false;
        connect();
      }
    });
  }

  private void committed(List<PendingBlock> batch, SubstreamsCursor cursor) {
    committed = cursor;
    long records = 0;
    for (PendingBlock b : batch) {
      records += b.records().size();
    }
    blocksCommitted += batch.size();
    recordsCommitted += records;
    metrics.blocks.increment(batch.size());
    metrics.records.increment(records);
    metrics.transactions.increment();
    metrics.committedBlock.set(cursor.blockNumber());
    if (stopped || connectAfterCommit) {
      return;
    }
    if (paused && pending.size() < options.getMaxPendingBlocks() / 2 + 1 && response != null) {
      paused = false;
      response.resume();
    }
    if (streamEnded && pending.isEmpty()) {
      finished();
    } else {
      flush();
    }
  }

  private void onEnd(int gen, GrpcClientResponse<Request, Response> resp) {
    if (gen != generation) {
      return;
    }
    GrpcStatus status = resp.status();
    if (status != null && status != GrpcStatus.OK) {
      onStatus(gen, status, GrpcStreams.message(resp));
      return;
    }
    streamEnded = true;
    pending.addAll(buffer.releaseAll(options.getStopBlock()));
    if (pending.isEmpty() && !commitInFlight) {
      finished();
    } else {
      flush();
    }
  }

  private void onFailure(int gen, Throwable err) {
    if (gen != generation || stopped) {
      return;
    }
    GrpcStreams.Status status = GrpcStreams.status(err, response);
    if (status != null) {
      onStatus(gen, status.status(), status.message());
    } else {
      retry(String.valueOf(err.getMessage() == null ? err : err.getMessage()));
    }
  }

  private void onStatus(int gen, GrpcStatus status, String message) {
    if (gen != generation) {
      return;
    }
    if (StreamErrors.isFatal(status, message)) {
      fatal("the server refused the stream with " + status.name() + " \"" + message + "\": " + StreamErrors.hint(status));
    } else {
      retry(status.name() + " " + message);
    }
  }

  private void retry(String reason) {
    if (stopped) {
      return;
    }
    generation++;
    cancelStream();
    metrics.reconnects.increment();
    long delay = backoff.nextDelayMillis();
    LOG.atWarn().addKeyValue("substream", options.getName()).addKeyValue("delayMs", delay)
        .addKeyValue("resumeBlock", committed == null ? "start" : Long.toString(committed.blockNumber()))
        .log("substreams.reconnecting: {}", reason);
    vertx.setTimer(delay, t -> connect());
  }

  private void fatal(String message) {
    if (completion.future().isComplete()) {
      return;
    }
    generation++;
    cancelStream();
    LOG.atError().addKeyValue("substream", options.getName()).log("substreams.stopped: {}", message);
    completion.tryFail(new SubstreamsException("substream " + options.getName() + ": " + message));
    stopped = true;
  }

  private void finished() {
    if (completion.future().isComplete()) {
      return;
    }
    LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("stopBlock", options.getStopBlock())
        .addKeyValue("lastBlock", committed == null ? -1 : committed.blockNumber()).addKeyValue("blocks", blocksCommitted)
        .addKeyValue("records", recordsCommitted).log("substreams.stop_block_reached");
    completion.tryComplete();
  }

  private void cancelStream() {
    GrpcClientRequest<Request, Response> r = request;
    request = null;
    response = null;
    if (r != null) {
      r.cancel();
    }
  }

  /** Once a second: inactivity watchdog, keepalive ping, progress log. */
  private void tick() {
    long now = System.nanoTime();
    boolean streaming = request != null && !paused && !streamEnded && !stopped;
    if (streaming && now - lastActivityNanos > options.getInactivityTimeout().toNanos()) {
      retry("no message for " + options.getInactivityTimeout().toSeconds() + " s");
      return;
    }
    if (request != null && now - lastPingNanos > options.getKeepAliveInterval().toNanos()) {
      lastPingNanos = now;
      int gen = generation;
      GrpcClientRequest<Request, Response> r = request;
      r.connection().ping(Buffer.buffer("weaverpg"))
          .timeout(KEEPALIVE_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
          .onFailure(err -> {
            if (gen == generation && request == r) {
              retry("keepalive ping failed: " + err.getMessage());
            }
          });
    }
    if (now - logNanos >= PROGRESS_LOG_MILLIS * 1_000_000) {
      double seconds = (now - logNanos) / 1e9;
      LOG.atInfo().addKeyValue("substream", options.getName()).addKeyValue("block", metrics.blockNumber.get())
          .addKeyValue("committedBlock", metrics.committedBlock.get()).addKeyValue("headDriftSeconds", metrics.headDriftSeconds.get())
          .addKeyValue("blocksPerSecond", Math.round((blocksCommitted - logBlocks) / seconds))
          .addKeyValue("recordsPerSecond", Math.round((recordsCommitted - logRecords) / seconds))
          .addKeyValue("reconnects", (long) metrics.reconnects.count()).addKeyValue("undoSignals", (long) metrics.undoSignals.count())
          .log("substreams.progress");
      logNanos = now;
      logBlocks = blocksCommitted;
      logRecords = recordsCommitted;
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    generation++;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    cancelStream();
    Future<Void> drained = Future.succeededFuture();
    if (commitInFlight) {
      commitDrained = Promise.promise();
      drained = commitDrained.future();
    }
    return drained
        .compose(v -> sink == null ? Future.succeededFuture() : sink.close())
        .eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }

  /**
   * What start-up computes off the event loop: the package with params and network applied, the
   * request's modules, the module hash, the strategy, the auth header.
   */
  record Prepared(SubstreamsPackage pkg, Modules modules, String moduleHash, long initialBlock, BlockProcessor processor,
                  Optional<Map.Entry<String, String>> auth) {

    static Prepared of(SubstreamsOptions options, Map<String, String> env, SubstreamsMetrics metrics) {
      SpkgLoader loader = new SpkgLoader(Path.of(options.getCacheDir()), Duration.ofSeconds(60));
      SubstreamsPackage pkg = loader.load(options.getManifestUrl()).withNetwork(options.getNetwork()).withParams(options.getParams());
      pkg.outputDescriptor(options.getOutputModule());
      Modules modules = pkg.requestModules(options.getOutputModule());
      SubstreamsStrategy<?> strategy = Strategies.create(options.getStrategy());
      strategy.init(new StrategyContext(options.getName(), options.getOutputModule(), pkg.descriptors(),
          Optional.ofNullable(options.getCoinList()).map(Path::of)));
      BlockProcessor processor = new BlockProcessor(options.getName(), options.getOutputModule(), pkg.descriptors(),
          Strategies.bind(strategy, options.topic()), metrics.deadLetters::increment);
      return new Prepared(pkg, modules, pkg.moduleHash(options.getOutputModule()),
          pkg.module(options.getOutputModule()).orElseThrow().getInitialBlock(), processor, Credentials.header(options, env));
    }
  }
}
