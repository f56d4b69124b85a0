package ai.pintxo.weaver.testkit.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.StreamGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The emulator seen through a plain Vert.x gRPC client: the protocol brief's section 5. */
@ExtendWith(VertxExtension.class)
class SubstreamsEmulatorTest {

  Vertx vertx;
  Context context;
  GrpcClient client;

  /** Each test gets its own Vert.x instance from the extension, which closes it, the emulator and the client after the test. */
  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    client = GrpcClient.client(vertx, new GrpcClientOptions(),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  /** What one stream delivered: its messages and its final status. */
  record Outcome(List<Response> messages, GrpcStatus status, String message) {
  }

  /** Runs one Blocks stream to its end: every message, and how it ended. */
  Outcome call(SubstreamsEmulator emulator, Request request, Map<String, String> headers) {
    String[] hp = emulator.endpoint().split(":");
    Promise<Outcome> done = Promise.promise();
    List<Response> messages = new ArrayList<>();
    // The whole exchange runs on one Vert.x context: started from the test thread, the response's handlers
    // could be set after its first messages, or its end, had already been delivered, and the stream would never end.
    context.runOnContext(start -> client.request(SocketAddress.inetSocketAddress(Integer.parseInt(hp[1]), hp[0]), StreamGrpcClient.Blocks)
        .compose(req -> {
          headers.forEach((k, v) -> req.headers().set(k, v));
          return req.send(request);
        })
        .onSuccess(resp -> {
          resp.handler(messages::add);
          resp.exceptionHandler(err -> done.tryComplete(err instanceof GrpcErrorException g ? new Outcome(messages, g.status(),
              resp.statusMessage()) : new Outcome(messages, GrpcStatus.UNKNOWN, err.toString())));
          resp.endHandler(v -> done.tryComplete(new Outcome(messages, resp.status(),
              resp.statusMessage() != null ? resp.statusMessage() : resp.trailers().get("grpc-message"))));
        })
        .onFailure(err -> done.tryComplete(err instanceof GrpcErrorException g ? new Outcome(messages, g.status(), g.getMessage())
            : new Outcome(messages, GrpcStatus.UNKNOWN, err.toString()))));
    try {
      return done.future().await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the stream did not end", e);
    }
  }

  SubstreamsEmulator emulator(SubstreamsEmulatorOptions options) {
    return SubstreamsEmulator.start(vertx, options).await();
  }

  static Request request(long start, long stop) {
    return Request.newBuilder().setOutputModule("metrics_out").setModules(TestPackages.seaport().getModules())
        .setStartBlockNum(start).setStopBlockNum(stop).build();
  }

  @Test
  void authenticationComesFirstAndSendsNoMessage() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setApiKey("k"));
    Outcome missing = call(emulator, request(0, 10), Map.of());
    assertThat(missing.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(missing.messages()).isEmpty();
    assertThat(call(emulator, request(0, 10), Map.of("authorization", "Bearer k")).status()).isEqualTo(GrpcStatus.OK);
    assertThat(call(emulator, request(0, 10), Map.of("x-api-key", "k")).messages()).isNotEmpty();
  }

  @Test
  void invalidRequestsAreRefusedBeforeAnyMessage() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setFirstStreamableBlock(5));
    Outcome store = call(emulator, request(10, 20).toBuilder().setOutputModule("store_metrics_out").build(), Map.of());
    assertThat(store.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(store.message()).contains("must be of kind 'map'");
    assertThat(store.messages()).isEmpty();
    assertThat(call(emulator, request(2, 20), Map.of()).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(call(emulator, request(20, 20), Map.of()).message()).contains("start block and stop block are the same");
    assertThat(call(emulator, request(10, 20).toBuilder().setStartCursor("garbage!").build(), Map.of()).status())
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void sessionFirstThenOneBlockPerBlockUpToTheExclusiveStopWithStatusOk() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions()
        .setOutputs(Payloads.seaport(1, 3)).setProgressIntervalMillis(0));
    Outcome o = call(emulator, request(10, 20), Map.of());
    assertThat(o.status()).isEqualTo(GrpcStatus.OK);
    assertThat(o.messages().get(0).hasSession()).isTrue();
    assertThat(o.messages().get(0).getSession().getResolvedStartBlock()).isEqualTo(10);
    List<Response> blocks = o.messages().stream().filter(Response::hasBlockScopedData).toList();
    assertThat(blocks).extracting(r -> r.getBlockScopedData().getClock().getNumber()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L,
        17L, 18L, 19L);
    assertThat(blocks.get(2).getBlockScopedData().getOutput().getMapOutput().getTypeUrl()).as("block 12 is empty").isEmpty();
    assertThat(blocks.get(0).getBlockScopedData().getFinalBlockHeight()).isEqualTo(10);
    assertThat(o.messages().get(o.messages().size() - 1).hasProgress()).as("a final progress message").isTrue();

    String cursor = blocks.get(4).getBlockScopedData().getCursor();
    Outcome resumed = call(emulator, request(10, 20).toBuilder().setStartCursor(cursor).build(), Map.of());
    assertThat(resumed.messages().get(0).getSession().getResolvedStartBlock()).isEqualTo(15);
  }

  @Test
  void negativeStartIsRelativeToTheHeadAndTheInitialBlockIsCheckedAfterTheSession() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setChainHead(1_000));
    Outcome live = call(emulator, request(-5, 1_002), Map.of());
    assertThat(live.messages().get(0).getSession().getResolvedStartBlock()).isEqualTo(995);
    assertThat(live.status()).isEqualTo(GrpcStatus.OK);

    Request late = request(10, 20).toBuilder().setModules(TestPackages.seaport().getModules().toBuilder()
        .setModules(0, TestPackages.seaport().getModules().getModules(0).toBuilder().setInitialBlock(15))).build();
    Outcome early = call(emulator, late, Map.of());
    assertThat(early.messages()).hasSize(1);
    assertThat(early.messages().get(0).hasSession()).isTrue();
    assertThat(early.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(early.message()).contains("start block 10 smaller than request outputs for module 'metrics_out'");
  }

  @Test
  void resumingFromACursorOfAnAbandonedBlockUndoesFirst() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setFinalityLag(10)
        .addReorg(new Reorg(5, 3)));
    String abandoned = new EmulatorCursor(1, 7, SubstreamsEmulator.blockId(7, 0), 0).encode();
    call(emulator, request(0, 12), Map.of()); // the reorg fires during this stream
    Outcome resumed = call(emulator, request(0, 12).toBuilder().setStartCursor(abandoned).build(), Map.of());
    assertThat(resumed.messages().get(0).getSession().getResolvedStartBlock()).isEqualTo(6);
    assertThat(resumed.messages().get(1).hasBlockUndoSignal()).as("undo before the first block").isTrue();
    assertThat(resumed.messages().get(1).getBlockUndoSignal().getLastValidBlock().getNumber()).isEqualTo(5);
    assertThat(resumed.messages().stream().filter(Response::hasBlockScopedData).findFirst().orElseThrow().getBlockScopedData().getClock()
        .getId()).isEqualTo(SubstreamsEmulator.blockId(6, 1));
  }

  @Test
  void reorgSendsAnUndoThenTheNewBranch() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setFinalityLag(10)
        .setOutputs(Payloads.seaport(1, 0)).addReorg(new Reorg(5, 2)));
    Outcome o = call(emulator, request(0, 10), Map.of());
    List<String> events = new ArrayList<>();
    for (Response r : o.messages()) {
      if (r.hasBlockScopedData()) {
        events.add(r.getBlockScopedData().getClock().getNumber() + ":" + r.getBlockScopedData().getClock().getId().substring(0, 6));
      } else if (r.hasBlockUndoSignal()) {
        events.add("undo to " + r.getBlockUndoSignal().getLastValidBlock().getNumber());
      }
    }
    assertThat(events).containsSubsequence("6:" + SubstreamsEmulator.blockId(6, 0).substring(0, 6), "7:" + SubstreamsEmulator.blockId(7, 0).substring(0, 6),
        "undo to 5", "6:" + SubstreamsEmulator.blockId(6, 1).substring(0, 6));
    assertThat(o.status()).isEqualTo(GrpcStatus.OK);
  }

  @Test
  void scriptedFaultEndsTheStreamWithItsStatus() {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions()
        .addFault(new Fault(3, GrpcStatus.UNAVAILABLE, "endpoint is shutting down, please reconnect", false)));
    Outcome o = call(emulator, request(0, 10), Map.of());
    assertThat(o.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(o.message()).isEqualTo("endpoint is shutting down, please reconnect");
    assertThat(o.messages().stream().filter(Response::hasBlockScopedData).count()).isEqualTo(3);
    assertThat(call(emulator, request(0, 10), Map.of()).status()).as("fires once").isEqualTo(GrpcStatus.OK);
  }

  @Test
  void streamsAreAccountedByModuleAndMemberUntilTheyEndOrTheClientCancels() throws Exception {
    SubstreamsEmulator emulator = emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0)));
    Outcome done = call(emulator, request(10, 20), Map.of("weaver-member", "w1"));
    String cursor = done.messages().stream().filter(Response::hasBlockScopedData).skip(4).findFirst().orElseThrow()
        .getBlockScopedData().getCursor();
    call(emulator, request(10, 20).toBuilder().setStartCursor(cursor).build(), Map.of());
    assertThat(emulator.activity().all()).extracting(a -> a.unit() + "/" + a.member() + "/" + a.isOpen())
        .containsExactly("metrics_out/w1/false", "metrics_out/" + ai.pintxo.weaver.testkit.activity.Activity.UNKNOWN + "/false");
    assertThat(emulator.sessionStarts()).extracting(s -> s.startBlock() + "<-" + s.cursorBlock()).containsExactly("10<--1", "15<-14");

    // A slow live stream, cancelled by its client after its first block: the emulator sees it close.
    SubstreamsEmulator slow = emulator(new SubstreamsEmulatorOptions().setBlocksPerSecond(5));
    String[] hp = slow.endpoint().split(":");
    Promise<Void> firstBlock = Promise.promise();
    context.runOnContext(v -> client.request(SocketAddress.inetSocketAddress(Integer.parseInt(hp[1]), hp[0]), StreamGrpcClient.Blocks)
        .onSuccess(req -> {
          req.headers().set("weaver-member", "w2");
          req.send(request(0, 0)).onSuccess(resp -> resp.handler(r -> {
            if (r.hasBlockScopedData() && firstBlock.tryComplete()) {
              req.cancel();
            }
          }));
        }));
    firstBlock.future().await(30, TimeUnit.SECONDS);
    ai.pintxo.weaver.testkit.junit.Await.until("the cancelled stream closed", java.time.Duration.ofSeconds(10),
        () -> slow.activity().all().size() == 1 && !slow.activity().all().get(0).isOpen(), () -> slow.activity().all());
    assertThat(slow.activity().all().get(0).member()).isEqualTo("w2");
  }
}
