package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.impl.stream.WebSocketConnection;
import ai.pintxo.weaver.impl.stream.SseConnection;
import ai.pintxo.weaver.impl.stream.StreamConnection;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** How a real-time source is reached; each knows how to open its connections. */
public enum Transport {

  /** Server-sent events: a long GET answered with {@code text/event-stream}. */
  SSE {
    @Override
    StreamConnection.Factory connections(Vertx vertx, Clients clients, String url, MultiMap headers, List<String> subscribe,
                                         Duration pingInterval) {
      return listener -> new SseConnection(clients.http(), url, headers, listener);
    }
  },

  /** A WebSocket; text messages are the events, subscribe messages are sent after each connect. */
  WEBSOCKET {
    @Override
    StreamConnection.Factory connections(Vertx vertx, Clients clients, String url, MultiMap headers, List<String> subscribe,
                                         Duration pingInterval) {
      return listener -> new WebSocketConnection(vertx, clients.webSocket(), url, headers, subscribe, pingInterval, listener);
    }
  };

  /** The clients a verticle shares between its streams. */
  public interface Clients {
    HttpClient http();

    WebSocketClient webSocket();
  }

  abstract StreamConnection.Factory connections(Vertx vertx, Clients clients, String url, MultiMap headers, List<String> subscribe,
                                                Duration pingInterval);

  /** @return the transport named in config ({@code sse} or {@code websocket}), or null */
  public static Transport named(String name) {
    for (Transport t : values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
        return t;
      }
    }
    return null;
  }
}
