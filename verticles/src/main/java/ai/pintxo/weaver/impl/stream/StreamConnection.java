package ai.pintxo.weaver.impl.stream;

import io.vertx.core.Future;

/**
 * One connection of a real-time stream (an SSE response, a WebSocket): it delivers events and
 * signs of life to its listener and tells it when it ended. Reconnecting is not its business
 * ({@link ResilientStream} does that).
 */
public interface StreamConnection {

  /** What a connection tells its stream. */
  interface Listener {
    /** An event (an SSE event; a WebSocket text message arrives as a {@code message} event). */
    void event(StreamConnection connection, SseEvent event);

    /** Bytes, a keep-alive comment or a pong arrived: the connection is alive. */
    void activity(StreamConnection connection);

    /** The connection ended: the server closed it, the network failed, or {@link #close()} was called. */
    void ended(StreamConnection connection, Throwable cause);
  }

  /** Opens connections for a stream, one per (re)connect. */
  interface Factory {
    StreamConnection create(Listener listener);
  }

  /**
   * @return succeeds once the server accepted (SSE: a 200 response; WebSocket: the upgrade);
   *     fails with a {@link ai.pintxo.weaver.codecs.failure.RetriableFailure} carrying the status for 408, 429
   *     and 5xx, with a {@link StreamRefusedException} for another status
   */
  Future<Void> open();

  /** Closes the connection; the listener hears nothing more from it. */
  Future<Void> close();

  /**
   * Stops reading the socket (also before {@link #open()} completes): its buffers fill and TCP slows the
   * server down, so nothing is lost here while the stream's consumer cannot take more. A paused connection
   * goes silent; its stream must not take that for a dead connection.
   */
  void pause();

  /** Reads the socket again. */
  void resume();
}
