package ai.pintxo.weaver.feed;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.vertx.core.Promise;

/** One request of {@link NettyHttp2Transport}: what goes on the wire, its deadlines, and its answer so far. */
final class NettyH2Request {

  final NettyHttp2Transport.Slot slot;
  final long startNanos;
  /** Vespa's timeout plus the margin: past it, a request on the wire has gone unanswered. */
  final long deadlineNanos;
  /** The connect timeout plus the margin: past it, a request still waiting for a connection gives up. */
  final long streamDeadlineNanos;
  final Promise<VespaResponse> promise = Promise.promise();
  AsciiString method;
  AsciiString path;
  /** The headers after the pseudo-headers: name, value, name, value… */
  AsciiString[] headers;
  /** The body, until it is handed to the codec; null without one. */
  ByteBuf body;
  int streamId;
  int status;
  /** Vespa's answer when it is not a 200 (its message is read from it). */
  byte[] answer;
  boolean done;

  NettyH2Request(NettyHttp2Transport.Slot slot, long startNanos, long deadlineNanos, long streamDeadlineNanos) {
    this.slot = slot;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    this.streamDeadlineNanos = streamDeadlineNanos;
  }

  /** Completes it once: the answer, or the failure; either way it is no longer outstanding. */
  void complete(VespaResponse response) {
    if (finish()) {
      promise.complete(response);
    }
  }

  void fail(Throwable cause) {
    if (finish()) {
      promise.fail(cause);
    }
  }

  private boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    slot.outstanding--;
    if (body != null) {
      body.release();
      body = null;
    }
    return true;
  }
}
