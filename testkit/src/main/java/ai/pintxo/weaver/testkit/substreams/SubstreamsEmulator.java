package ai.pintxo.weaver.testkit.substreams;

import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockScopedData;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockUndoSignal;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Error;
import ai.pintxo.weaver.substreams.pb.rpc.v2.MapModuleOutput;
import ai.pintxo.weaver.substreams.pb.rpc.v2.ModulesProgress;
import ai.pintxo.weaver.substreams.pb.rpc.v2.ProcessedBytes;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.SessionInit;
import ai.pintxo.weaver.substreams.pb.v1.BlockRef;
import ai.pintxo.weaver.substreams.pb.v1.Clock;
import ai.pintxo.weaver.substreams.pb.v1.Module;
import com.google.protobuf.Timestamp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Substreams provider for tests and the demo: {@code sf.substreams.rpc.v2.Stream/Blocks} on the
 * Vert.x gRPC server (h2c), behaving as the protocol brief's section 5 describes: authentication
 * first ({@code UNAUTHENTICATED}, no message), quota ({@code RESOURCE_EXHAUSTED}), request
 * validation before any message ({@code INVALID_ARGUMENT}), {@code SessionInit} first, then the
 * initial-block check, progress messages, one {@code BlockScopedData} per block (empty outputs
 * included) with cursor and final block height, scripted reorgs with undo signals (also on resume
 * from a cursor of an abandoned block), scripted mid-stream failures, and the end at the stop
 * block with status OK. Other methods (v3, v4) answer {@code UNIMPLEMENTED}. Writes respect HTTP/2
 * flow control, so a slow client slows the stream.
 *
 * <p>Scripted reorgs and faults fire once per emulator, as a real chain's would.
 */
public final class SubstreamsEmulator {

  private static final int WRITES_PER_TURN = 256;

  private final Vertx vertx;
  private final SubstreamsEmulatorOptions options;
  private final Set<Reorg> firedReorgs = ConcurrentHashMap.newKeySet();
  private final Set<Fault> firedFaults = ConcurrentHashMap.newKeySet();
  private final Set<Jump> firedJumps = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicLong blocksSent = new AtomicLong();
  private final AtomicLong undosSent = new AtomicLong();
  private final AtomicLong pings = new AtomicLong();
  private final ai.pintxo.weaver.testkit.activity.ActivityLog activity = new ai.pintxo.weaver.testkit.activity.ActivityLog();
  private final java.util.List<SessionStart> sessionStarts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<Session> atHead = ConcurrentHashMap.newKeySet();
  private HttpServer server;

  private SubstreamsEmulator(Vertx vertx, SubstreamsEmulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** @return the emulator, listening on 127.0.0.1 */
  public static Future<SubstreamsEmulator> start(Vertx vertx, SubstreamsEmulatorOptions options) {
    SubstreamsEmulator emulator = new SubstreamsEmulator(vertx, options);
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(64L * 1024 * 1024)); // packages carry WASM
    grpc.callHandler(EmulatorMethods.BLOCKS, emulator::onCall);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(options.getPort())
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(1000)));
    emulator.server = server;
    // Netty answers HTTP/2 PINGs itself; the emulator only counts them, for keepalive tests.
    server.connectionHandler(connection -> connection.pingHandler(data -> emulator.pings.incrementAndGet()));
    return server.requestHandler(grpc).listen().map(s -> emulator);
  }

  /** @return {@code 127.0.0.1:<port>}, for a plaintext client */
  public String endpoint() {
    return "127.0.0.1:" + server.actualPort();
  }

  /** @return streams opened (refused ones included) */
  public int sessions() {
    return sessions.get();
  }

  /** @return streams refused before any message (auth, quota, validation) */
  public int refused() {
    return refused.get();
  }

  /** @return block messages sent over all streams */
  public long blocksSent() {
    return blocksSent.get();
  }

  /** @return HTTP/2 PING frames received from clients (keepalives) */
  public long pings() {
    return pings.get();
  }

  /**
   * @return every accepted stream, unit by unit: the unit is the request's output module, the member the request's
   *     {@code weaver-member} header; a stream closes when it ends (stop block, fault) or the client cancels or goes away
   */
  public ai.pintxo.weaver.testkit.activity.ActivityLog activity() {
    return activity;
  }

  /**
   * Where an accepted stream started.
   *
   * @param unit        the output module
   * @param member      the request's {@code weaver-member}
   * @param startBlock  the first block it streams
   * @param cursorBlock the block of the request's cursor, -1 without one
   */
  public record SessionStart(String unit, String member, long startBlock, long cursorBlock, java.time.Instant at) {
  }

  /** @return every accepted stream's start, in order */
  public java.util.List<SessionStart> sessionStarts() {
    return java.util.List.copyOf(sessionStarts);
  }

  /** @return undo signals sent over all streams */
  public long undosSent() {
    return undosSent.get();
  }

  /** @return the branch a block is on now: 1 when a reorg replaced it (or will, for final-only streams), else 0 */
  public int branchOf(long block, boolean finalOnly) {
    for (Reorg r : options.getReorgs()) {
      if (r.covers(block) && (finalOnly || firedReorgs.contains(r))) {
        return 1;
      }
    }
    return 0;
  }

  /**
   * Moves the chain head on: live streams (stop block 0) that reached the old head stream the new
   * blocks, firing the scripted reorgs they reach, as a chain growing block by block would.
   *
   * @param head the new head, above the current one
   */
  public void advanceHead(long head) {
    options.setChainHead(head);
    for (Session s : atHead) {
      atHead.remove(s);
      s.context.runOnContext(v -> s.pump());
    }
  }

  /**
   * Fires a scripted reorg without a stream seeing it, as if it happened while no client was
   * connected: a stream resuming from a cursor of a block it replaced starts with the undo signal.
   *
   * @param reorg one of the options' reorgs
   */
  public void fireWhileDisconnected(Reorg reorg) {
    if (!options.getReorgs().contains(reorg)) {
      throw new IllegalArgumentException(reorg + " is not scripted");
    }
    firedReorgs.add(reorg);
  }

  /** @return a block's hash on a branch */
  public static String blockId(long block, int branch) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((block + ":" + branch).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return block time: 12 s per block from 2020-09-13 */
  public static long blockTime(long block) {
    return 1_600_000_000L + block * 12;
  }

  public Future<Void> close() {
    return server.close();
  }

  private void onCall(GrpcServerRequest<Request, Response> call) {
    call.handler(request -> handle(call, request));
  }

  private void handle(GrpcServerRequest<Request, Response> call, Request r) {
    GrpcServerResponse<Request, Response> resp = call.response();
    sessions.incrementAndGet();
    String key = call.headers().get("x-api-key");
    String auth = call.headers().get("authorization");
    if (key == null && auth != null && auth.startsWith("Bearer ")) {
      key = auth.substring("Bearer ".length());
    }
    if (options.getApiKey() != null && !options.getApiKey().equals(key)) {
      refuse(resp, GrpcStatus.UNAUTHENTICATED, "authentication: " + (key == null ? "missing API key" : "invalid API key"));
      return;
    }
    if (options.isQuotaExceeded()) {
      refuse(resp, GrpcStatus.RESOURCE_EXHAUSTED, "quota exceeded for this API key");
      return;
    }
    String invalid = validate(r);
    if (invalid != null) {
      refuse(resp, GrpcStatus.INVALID_ARGUMENT, invalid);
      return;
    }
    long start;
    BlockUndoSignal pendingUndo = null;
    if (!r.getStartCursor().isEmpty()) {
      EmulatorCursor c;
      try {
        c = EmulatorCursor.decode(r.getStartCursor());
      } catch (IllegalArgumentException e) {
        refuse(resp, GrpcStatus.INVALID_ARGUMENT, e.getMessage());
        return;
      }
      if (r.getStopBlockNum() > 0 && c.block() >= r.getStopBlockNum()) {
        refuse(resp, GrpcStatus.INVALID_ARGUMENT, "StartCursor " + c.block() + " is after StopBlockNum " + r.getStopBlockNum());
        return;
      }
      if (c.id().equals(blockId(c.block(), branchOf(c.block(), r.getFinalBlocksOnly())))) {
        start = c.block() + 1;
      } else {
        long fork = options.getReorgs().stream().filter(x -> x.covers(c.block())).mapToLong(Reorg::forkBlock).min().orElse(c.block() - 1);
        pendingUndo = undo(fork, r.getFinalBlocksOnly());
        start = fork + 1;
      }
    } else if (r.getStartBlockNum() < 0) {
      start = Math.max(0, options.getChainHead() + r.getStartBlockNum());
    } else if (r.getStartBlockNum() == 0) {
      start = options.getFirstStreamableBlock();
    } else {
      if (r.getStartBlockNum() < options.getFirstStreamableBlock()) {
        refuse(resp, GrpcStatus.INVALID_ARGUMENT, "start block " + r.getStartBlockNum() + " is below the first streamable block "
            + options.getFirstStreamableBlock());
        return;
      }
      start = r.getStartBlockNum();
    }
    if (r.getStopBlockNum() > 0 && start == r.getStopBlockNum()) {
      refuse(resp, GrpcStatus.INVALID_ARGUMENT, "start block and stop block are the same");
      return;
    }
    Module output = r.getModules().getModulesList().stream().filter(m -> m.getName().equals(r.getOutputModule())).findFirst().orElseThrow();
    resp.write(Response.newBuilder().setSession(SessionInit.newBuilder().setTraceId(UUID.randomUUID().toString().replace("-", ""))
        .setResolvedStartBlock(start).setLinearHandoffBlock(Math.max(start, options.getChainHead() - options.getFinalityLag()))
        .setMaxParallelWorkers(10).setChainHead(options.getChainHead()).setSegmentBlockCount(1000)).build());
    if (start < output.getInitialBlock()) {
      String message = "start block " + start + " smaller than request outputs for module '" + output.getName() + "' with start block "
          + output.getInitialBlock();
      resp.trailers().set("grpc-message", message); // see the fault path
      resp.status(GrpcStatus.INVALID_ARGUMENT).statusMessage(message).end();
      return;
    }
    String member = ai.pintxo.weaver.testkit.activity.ActivityLog.memberOrUnknown(call.headers().get("weaver-member"));
    long cursorBlock = r.getStartCursor().isEmpty() ? -1 : EmulatorCursor.decode(r.getStartCursor()).block();
    sessionStarts.add(new SessionStart(r.getOutputModule(), member, start, cursorBlock, java.time.Instant.now()));
    long handle = activity.open(r.getOutputModule(), member);
    // The client's cancel, reset or disconnect ends the stream: any of these handlers may be the one told.
    call.exceptionHandler(err -> activity.close(handle));
    call.errorHandler(err -> activity.close(handle));
    new Session(resp, r, start, pendingUndo, handle).pump();
  }

  private String validate(Request r) {
    if (r.getModules().getModulesCount() == 0) {
      return "no modules found in request";
    }
    if (r.getOutputModule().isEmpty()) {
      return "no output module defined in request";
    }
    Module output = r.getModules().getModulesList().stream().filter(m -> m.getName().equals(r.getOutputModule())).findFirst().orElse(null);
    if (output == null) {
      return "output module \"" + r.getOutputModule() + "\" not found in modules";
    }
    if (!output.hasKindMap()) {
      return "output module must be of kind 'map'";
    }
    return null;
  }

  private void refuse(GrpcServerResponse<Request, Response> resp, GrpcStatus status, String message) {
    refused.incrementAndGet();
    resp.status(status).statusMessage(message).end();
  }

  private BlockUndoSignal undo(long lastValid, boolean finalOnly) {
    String id = blockId(lastValid, branchOf(lastValid, finalOnly));
    return BlockUndoSignal.newBuilder().setLastValidBlock(BlockRef.newBuilder().setNumber(lastValid).setId(id))
        .setLastValidCursor(new EmulatorCursor(1, lastValid, id, Math.max(0, lastValid - options.getFinalityLag())).encode()).build();
  }

  /** One stream: pushes messages while the client's flow-control window allows. Confined to the server's event loop. */
  private final class Session {

    private final GrpcServerResponse<Request, Response> resp;
    private final Request request;
    private final long start;
    private final boolean finalOnly;
    private BlockUndoSignal pendingUndo;
    private long next;
    private long lastProgress = System.nanoTime();
    private final long startNanos = System.nanoTime();
    private boolean done;

    private final long handle;
    private final io.vertx.core.Context context = vertx.getOrCreateContext();

    Session(GrpcServerResponse<Request, Response> resp, Request request, long start, BlockUndoSignal pendingUndo, long handle) {
      this.handle = handle;
      this.resp = resp;
      this.request = request;
      this.start = start;
      this.next = start;
      this.finalOnly = request.getFinalBlocksOnly();
      this.pendingUndo = pendingUndo;
      resp.exceptionHandler(err -> {
        done = true;
        activity.close(handle);
      });
    }

    void pump() {
      int written = 0;
      while (!done) {
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> pump());
          return;
        }
        if (written++ >= WRITES_PER_TURN) {
          vertx.runOnContext(v -> pump());
          return;
        }
        if (options.getBlocksPerSecond() > 0) {
          long due = startNanos + (next - start) * 1_000_000_000L / options.getBlocksPerSecond();
          long wait = due - System.nanoTime();
          if (wait > 1_000_000) {
            vertx.setTimer(wait / 1_000_000, t -> pump());
            return;
          }
        }
        if (pendingUndo != null) {
          write(Response.newBuilder().setBlockUndoSignal(pendingUndo).build());
          undosSent.incrementAndGet();
          pendingUndo = null;
          continue;
        }
        long n = next;
        if (request.getStopBlockNum() > 0 && n >= request.getStopBlockNum()) {
          write(progress());
          done = true;
          resp.end();
          activity.close(handle);
          return;
        }
        if (request.getStopBlockNum() == 0 && n > options.getChainHead()) {
          atHead.add(this); // live: nothing newer; the stream stays open until advanceHead
          if (n <= options.getChainHead() && atHead.remove(this)) {
            continue; // the head moved on meanwhile
          }
          return;
        }
        for (Fault f : options.getFaults()) {
          if (f.atBlock() == n && firedFaults.add(f)) {
            if (f.status() == null) {
              done = true; // stalled: open, silent
              return;
            }
            if (f.fatalError()) {
              write(Response.newBuilder().setFatalError(Error.newBuilder().setModule(request.getOutputModule()).setReason(f.message())).build());
            }
            done = true;
            // Vert.x writes grpc-message only on trailers-only responses: set it on the trailers of this one too.
            resp.trailers().set("grpc-message", f.message());
            resp.status(f.status()).statusMessage(f.message()).end();
            activity.close(handle);
            return;
          }
        }
        for (Jump j : options.getJumps()) {
          if (j.atBlock() == n && firedJumps.add(j)) {
            n = j.to(); // no undo signal: the numbering itself is wrong
          }
        }
        if (System.nanoTime() - lastProgress >= options.getProgressIntervalMillis() * 1_000_000) {
          write(progress());
          lastProgress = System.nanoTime();
        }
        int branch = branchOf(n, finalOnly);
        write(block(n, branch));
        blocksSent.incrementAndGet();
        next = n + 1;
        if (!finalOnly && branch == 0) {
          for (Reorg r : options.getReorgs()) {
            if (n == r.forkBlock() + r.depth() && firedReorgs.add(r)) {
              pendingUndo = undo(r.forkBlock(), false);
              next = r.forkBlock() + 1;
            }
          }
        }
      }
    }

    private void write(Response m) {
      try {
        resp.write(m).onFailure(err -> {
          done = true;
          activity.close(handle);
        });
      } catch (IllegalStateException cancelled) {
        done = true; // the client went away while the stream waited at the head
        activity.close(handle);
      }
    }

    private Response block(long n, int branch) {
      String id = blockId(n, branch);
      long lib = finalOnly || options.getFinalityLag() == 0 ? n : Math.max(0, n - options.getFinalityLag());
      int step = lib == n ? 16 : 1;
      return Response.newBuilder().setBlockScopedData(BlockScopedData.newBuilder()
          .setOutput(MapModuleOutput.newBuilder().setName(request.getOutputModule()).setMapOutput(options.outputsOf(request.getOutputModule()).output(n, branch)))
          .setClock(Clock.newBuilder().setId(id).setNumber(n).setTimestamp(Timestamp.newBuilder().setSeconds(blockTime(n))))
          .setCursor(new EmulatorCursor(step, n, id, lib).encode())
          .setFinalBlockHeight(lib)).build();
    }

    private Response progress() {
      return Response.newBuilder().setProgress(ModulesProgress.newBuilder().setProcessedBlocks(next - start)
          .setProcessedBytes(ProcessedBytes.newBuilder().setTotalBytesRead((next - start) * 1024))).build();
    }
  }
}
