package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC {@code Blocks} call of a substream: opens it, pauses and resumes it for flow control,
 * pings its connection and cancels it. Each {@link #open} starts a new generation; callbacks of an
 * older call (one cancelled by a reconnect, or still connecting when it was superseded) are
 * dropped here, so the listener only ever hears about the current call.
 *
 * <p>Threading: confined to the verticle's event loop.
 */
final class StreamSession {

  /** What the current call reports. */
  interface Listener {

    /** A message arrived. */
    void onMessage(Response message);

    /** The server ended the stream with OK: every requested block was sent. */
    void onEnd();

    /** The server ended the stream with a non-OK status. */
    void onStatus(GrpcStatus status, String message);

    /** The call broke without a status (connection refused or reset). */
    void onBroken(String reason);
  }

  private final GrpcClient client;
  private final SocketAddress address;
  private final Optional<Map.Entry<String, String>> auth;
  private final Listener listener;
  private final String member;

  private int generation;
  private GrpcClientRequest<Request, Response> request;
  private GrpcClientResponse<Request, Response> response;
  private boolean paused;
  private boolean ended;

  /** @param member this process's {@code cluster.member}, sent as {@code weaver-member} so a provider can tell callers apart */
  StreamSession(GrpcClient client, SocketAddress address, Optional<Map.Entry<String, String>> auth, String member, Listener listener) {
    this.member = member;
    this.client = client;
    this.address = address;
    this.auth = auth;
    this.listener = listener;
  }

  /** Starts a new call, superseding any previous one. */
  void open(Request req) {
    int gen = ++generation;
    paused = false;
    ended = false;
    client.request(address, GrpcStreams.BLOCKS)
        .compose(r -> {
          if (gen != generation) {
            r.cancel();
            return Future.failedFuture("superseded");
          }
          request = r;
          auth.ifPresent(h -> r.headers().set(h.getKey(), h.getValue()));
          r.headers().set("x-user-agent", "pintxo-weaver");
          r.headers().set("weaver-member", member);
          return r.send(req);
        })
        .onSuccess(resp -> {
          if (gen != generation) {
            return;
          }
          response = resp;
          resp.handler(m -> {
            if (gen == generation) {
              listener.onMessage(m);
            }
          });
          resp.exceptionHandler(err -> failed(gen, err));
          resp.endHandler(v -> ended(gen, resp));
        })
        .onFailure(err -> failed(gen, err));
  }

  /** Cancels the current call; nothing more is reported about it. */
  void close() {
    generation++;
    GrpcClientRequest<Request, Response> r = request;
    request = null;
    response = null;
    if (r != null) {
      r.cancel();
    }
  }

  /**
   * Stops reading, so HTTP/2 flow control makes the server wait.
   *
   * @return whether the call was flowing and is now paused
   */
  boolean pause() {
    if (paused || response == null) {
      return false;
    }
    paused = true;
    response.pause();
    return true;
  }

  void resume() {
    if (paused && response != null) {
      paused = false;
      response.resume();
    }
  }

  boolean isPaused() {
    return paused;
  }

  /** @return whether the server ended the current call with OK */
  boolean isEnded() {
    return ended;
  }

  /** @return whether a call is open (connected, not cancelled) */
  boolean isOpen() {
    return request != null;
  }

  /** @return whether messages are expected now: open, not paused by us, not ended by the server */
  boolean isStreaming() {
    return request != null && !paused && !ended;
  }

  /**
   * Pings the call's HTTP/2 connection.
   *
   * @return fails when the ping is not answered in time and the same call is still current
   */
  Future<Void> ping(long timeoutMillis) {
    int gen = generation;
    GrpcClientRequest<Request, Response> r = request;
    if (r == null) {
      return Future.succeededFuture();
    }
    return r.connection().ping(Buffer.buffer("weaverpg")).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(err -> gen == generation && request == r ? Future.failedFuture(err) : Future.succeededFuture());
  }

  private void ended(int gen, GrpcClientResponse<Request, Response> resp) {
    if (gen != generation) {
      return;
    }
    GrpcStatus status = resp.status();
    if (status != null && status != GrpcStatus.OK) {
      listener.onStatus(status, GrpcStreams.message(resp));
      return;
    }
    ended = true;
    listener.onEnd();
  }

  private void failed(int gen, Throwable err) {
    if (gen != generation) {
      return;
    }
    GrpcStreams.Status status = GrpcStreams.status(err, response);
    if (status != null) {
      listener.onStatus(status.status(), status.message());
    } else {
      listener.onBroken(String.valueOf(err.getMessage() == null ? err : err.getMessage()));
    }
  }
}
