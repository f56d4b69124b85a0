package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.config.Redact;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;

/**
 * One WebSocket: sends the subscribe messages once connected, delivers each text message as a
 * {@code message} event, and pings the server so that a quiet but healthy socket shows life
 * (its pongs count as activity) while a dead one falls silent for the stream's watchdog.
 */
public final class WebSocketConnection implements StreamConnection {

  private static final Buffer PING = Buffer.buffer("weaver");

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String url;
  private final MultiMap headers;
  private final List<String> subscribe;
  private final Duration pingInterval;
  private final Listener listener;
  private WebSocket socket;
  private long pinger = -1;
  private boolean ended;
  private boolean paused;

  /**
   * @param subscribe    text messages sent right after the upgrade (e.g. a subscription request)
   * @param pingInterval how often to ping; zero for never
   */
  public WebSocketConnection(Vertx vertx, WebSocketClient client, String url, MultiMap headers, List<String> subscribe,
                             Duration pingInterval, Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.url = url;
    this.headers = headers;
    this.subscribe = subscribe;
    this.pingInterval = pingInterval;
    this.listener = listener;
  }

  @Override
  public Future<Void> open() {
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    options.setAbsoluteURI(url);
    headers.forEach(options::addHeader);
    return client.connect(options)
        .recover(err -> Future.failedFuture(err instanceof UpgradeRejectedException rejected
            ? StreamRefusedException.of(RecordOrigin.source(Redact.url(url)), rejected.getStatus(),
                rejected.getHeaders() == null ? null : rejected.getHeaders().get("Retry-After"),
                rejected.getBody() == null ? "" : rejected.getBody().toString())
            : err))
        .compose(ws -> {
          socket = ws;
          if (paused) {
            ws.pause(); // paused while connecting: no message is read until resumed
          }
          ws.textMessageHandler(text -> {
            if (!ended) {
              listener.activity(this);
              listener.event(this, new SseEvent("message", text, "", -1));
            }
          });
          ws.pongHandler(pong -> listener.activity(this));
          ws.exceptionHandler(this::end);
          // 1000 normal and 1001 going away (a server restarting or shedding connections) are ordinary ends:
          // reconnect without an error; other codes say something went wrong and are reported as the cause.
          ws.closeHandler(v -> end(ws.closeStatusCode() == null || ws.closeStatusCode() == 1000 || ws.closeStatusCode() == 1001 ? null
              : new IllegalStateException("closed by the server: " + ws.closeStatusCode() + " " + ws.closeReason())));
          if (!pingInterval.isZero()) {
            pinger = vertx.setPeriodic(pingInterval.toMillis(), t -> {
              if (!ws.isClosed()) {
                ws.writePing(PING);
              }
            });
          }
          Future<Void> sent = Future.succeededFuture();
          for (String message : subscribe) {
            sent = sent.compose(v -> ws.writeTextMessage(message));
          }
          return sent;
        });
  }

  private void end(Throwable cause) {
    stopPinging();
    if (!ended) {
      ended = true;
      listener.ended(this, cause);
    }
  }

  private void stopPinging() {
    if (pinger >= 0) {
      vertx.cancelTimer(pinger);
      pinger = -1;
    }
  }

  @Override
  public void pause() {
    paused = true;
    if (socket != null) {
      socket.pause();
    }
  }

  @Override
  public void resume() {
    paused = false;
    if (socket != null) {
      socket.resume();
    }
  }

  /** @return completes when the close handshake is done and the socket closed */
  @Override
  public Future<Void> close() {
    ended = true;
    stopPinging();
    if (socket != null && !socket.isClosed()) {
      return socket.close().recover(err -> Future.succeededFuture());
    }
    return Future.succeededFuture();
  }
}
