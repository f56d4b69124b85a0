package ai.pintxo.weaver.testkit.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real-time trade source in process, speaking both transports the weaver's generic source
 * supports, with messages of Binance's trade stream shape ({@code {"e":"trade","E":…,"s":"BTCUSDT",
 * "t":…,"p":"…","q":"…","T":…,"m":…,"M":true}}):
 * <ul>
 *   <li>WebSocket on {@code /ws}: like Binance's combined endpoint, a client subscribes with
 *   {@code {"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}}, gets {@code {"result":null,"id":1}}
 *   and then the trades of its markets; pings are answered with pongs;</li>
 *   <li>server-sent events on {@code /sse?symbols=BTCUSDT,ETHUSDT}: each trade as a {@code message}
 *   event, and a {@code heartbeat} event now and then.</li>
 * </ul>
 * Trade ids rise by one per symbol, so a test can tell what arrived. Switches close every
 * connection, send a malformed message, or answer the next upgrades with a status.
 *
 * <p>Streams can be told apart by a name after the path ({@code /ws/<name>}, {@code /sse/<name>}):
 * each path and query is a unit in {@link #activity()}, and every trade sent is a {@link Delivery}.
 */
public final class TradeStreamEmulator {

  private final Vertx vertx;
  private final List<String> symbols;
  private final Map<String, AtomicLong> tradeIds = new ConcurrentHashMap<>();
  private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  private final Map<ServerWebSocket, Set<String>> subscriptions = new ConcurrentHashMap<>();
  private final List<HttpServerResponse> sseStreams = new CopyOnWriteArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile int refuseWith;
  private final ai.pintxo.weaver.testkit.activity.ActivityLog activity = new ai.pintxo.weaver.testkit.activity.ActivityLog();
  private final Map<Object, Connection> connectionsOf = new ConcurrentHashMap<>();
  private final List<Delivery> deliveries = new java.util.ArrayList<>(); // guarded by itself
  private HttpServer server;
  private long ticker;

  private TradeStreamEmulator(Vertx vertx, List<String> symbols) {
    this.vertx = vertx;
    this.symbols = List.copyOf(symbols);
    symbols.forEach(s -> tradeIds.put(s, new AtomicLong()));
  }

  /**
   * @param symbols      markets, e.g. {@code BTCUSDT}
   * @param tradeMillis  every market trades this often
   */
  public static Future<TradeStreamEmulator> start(Vertx vertx, List<String> symbols, long tradeMillis) {
    TradeStreamEmulator emulator = new TradeStreamEmulator(vertx, symbols);
    emulator.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    emulator.server.webSocketHandshakeHandler(handshake -> {
      if (emulator.refuseWith > 0) {
        emulator.refused.incrementAndGet();
        handshake.reject(emulator.refuseWith);
      } else {
        handshake.accept();
      }
    });
    emulator.server.webSocketHandler(emulator::webSocket);
    emulator.server.requestHandler(emulator::request);
    return emulator.server.listen().map(s -> {
      emulator.ticker = vertx.setPeriodic(tradeMillis, t -> emulator.tick());
      return emulator;
    });
  }

  /** @return {@code ws://127.0.0.1:<port>/ws} */
  public String webSocketUrl() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  /** @return {@code ws://127.0.0.1:<port>/ws/<name>}: the same stream as {@link #webSocketUrl()}, a unit of its own */
  public String webSocketUrl(String name) {
    return webSocketUrl() + "/" + name;
  }

  /** @return the SSE URL of a named stream of these symbols ({@code /sse/<name>?symbols=…}) */
  public String namedSseUrl(String name, String... symbols) {
    return "http://127.0.0.1:" + server.actualPort() + "/sse/" + name + "?symbols=" + String.join(",", symbols);
  }

  /** @return the SSE URL streaming these symbols */
  public String sseUrl(String... symbols) {
    return "http://127.0.0.1:" + server.actualPort() + "/sse?symbols=" + String.join(",", symbols);
  }

  /** Closes every connection now, as a server restart does. */
  public void closeAll() {
    vertx.runOnContext(v -> {
      sockets.forEach(ServerWebSocket::close);
      sseStreams.forEach(HttpServerResponse::end);
    });
  }

  /** Closes every WebSocket with this close status and reason (1001 going away: a server shutting down). */
  public void closeAll(short status, String reason) {
    vertx.runOnContext(v -> sockets.forEach(ws -> ws.close(status, reason)));
  }

  /** Sends this text as is on every connection (a WebSocket message, an SSE {@code data:} line). */
  public void send(String text) {
    vertx.runOnContext(v -> {
      sockets.forEach(ws -> ws.writeTextMessage(text));
      sseStreams.forEach(r -> r.write("data: " + text + "\n\n"));
    });
  }

  /** Sends a message that is not a trade record (a wrong type for {@code p}) on every connection. */
  public void sendMalformed() {
    String bad = "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":true,\"q\":\"1\",\"T\":1,\"m\":false}";
    vertx.runOnContext(v -> {
      sockets.forEach(ws -> ws.writeTextMessage(bad));
      sseStreams.forEach(r -> r.write("data: " + bad + "\n\n"));
    });
  }

  /** Answers the next WebSocket upgrades with this status (0: accept again). */
  public void refuseUpgrades(int status) {
    this.refuseWith = status;
  }

  /** @return connections accepted so far (WebSocket and SSE) */
  public long connections() {
    return connections.get();
  }

  /** @return WebSocket upgrades refused */
  public long refused() {
    return refused.get();
  }

  /** @return trade messages sent */
  public long sent() {
    return sent.get();
  }

  /** @return the last trade id sent for a symbol */
  public long lastTradeId(String symbol) {
    return tradeIds.get(symbol).get();
  }

  /**
   * @return every connection, unit by unit: the unit is the request's path and query (e.g. {@code /ws/binance},
   *     {@code /sse/sol?symbols=SOLUSDT}), the member the one named by its {@code User-Agent} ({@code … (member <m>)})
   */
  public ai.pintxo.weaver.testkit.activity.ActivityLog activity() {
    return activity;
  }

  /**
   * One trade written to one connection.
   *
   * @param unit    the connection's unit (see {@link #activity()})
   * @param member  the connection's member
   * @param tradeId the trade's sequence number, rising by one per symbol
   * @param sent    when it was written
   */
  public record Delivery(String unit, String member, String symbol, long tradeId, java.time.Instant sent) {
  }

  /** @return every trade written to a connection, in order */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  public Future<Void> close() {
    vertx.cancelTimer(ticker);
    return server.close();
  }

  private void webSocket(ServerWebSocket ws) {
    if (!ws.path().equals("/ws") && !ws.path().startsWith("/ws/")) {
      ws.close((short) 1008, "unknown path");
      return;
    }
    connections.incrementAndGet();
    String unit = ws.query() == null ? ws.path() : ws.path() + "?" + ws.query();
    String member = ai.pintxo.weaver.testkit.activity.ActivityLog.memberOf(ws.headers().get("User-Agent"));
    long handle = activity.open(unit, member);
    connectionsOf.put(ws, new Connection(unit, member));
    sockets.add(ws);
    subscriptions.put(ws, ConcurrentHashMap.newKeySet());
    ws.textMessageHandler(text -> {
      JsonObject request = new JsonObject(text);
      if ("SUBSCRIBE".equals(request.getString("method"))) {
        JsonArray params = request.getJsonArray("params", new JsonArray());
        for (Object p : params) {
          String stream = String.valueOf(p);
          subscriptions.get(ws).add(stream.substring(0, stream.indexOf('@') < 0 ? stream.length() : stream.indexOf('@')).toUpperCase(Locale.ROOT));
        }
        ws.writeTextMessage(new JsonObject().putNull("result").put("id", request.getValue("id")).encode());
      }
    });
    ws.closeHandler(v -> {
      sockets.remove(ws);
      subscriptions.remove(ws);
      connectionsOf.remove(ws);
      activity.close(handle);
    });
  }

  private void request(HttpServerRequest req) {
    if (!req.path().equals("/sse") && !req.path().startsWith("/sse/")) {
      req.response().setStatusCode(404).end();
      return;
    }
    connections.incrementAndGet();
    String member = ai.pintxo.weaver.testkit.activity.ActivityLog.memberOf(req.getHeader("User-Agent"));
    long handle = activity.open(req.uri(), member);
    Set<String> wanted = Set.of(req.getParam("symbols", "").split(","));
    HttpServerResponse response = req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
    response.write(": connected\n\n");
    sseStreams.add(response);
    connectionsOf.put(response, new Connection(req.uri(), member));
    response.closeHandler(v -> {
      sseStreams.remove(response);
      connectionsOf.remove(response);
      activity.close(handle);
    });
    response.endHandler(v -> {
      sseStreams.remove(response);
      connectionsOf.remove(response);
      activity.close(handle);
    });
    // Which markets a response wants is kept with it.
    sseWanted.put(response, wanted);
  }

  private final Map<HttpServerResponse, Set<String>> sseWanted = new ConcurrentHashMap<>();
  private long ticks;

  private void delivered(Object connection, String symbol, long tradeId) {
    Connection c = connectionsOf.get(connection);
    if (c != null) {
      synchronized (deliveries) {
        deliveries.add(new Delivery(c.unit(), c.member(), symbol, tradeId, java.time.Instant.now()));
      }
    }
  }

  /** A connection's unit and member. */
  private record Connection(String unit, String member) {
  }

  private void tick() {
    long now = System.currentTimeMillis();
    ticks++;
    for (String symbol : symbols) {
      long id = tradeIds.get(symbol).incrementAndGet();
      String trade = new JsonObject().put("e", "trade").put("E", now).put("s", symbol).put("t", id)
          .put("p", String.format(Locale.ROOT, "%d.%08d", 100 + id % 50, id * 7919 % 100_000_000)).put("q", "0.00" + (1 + id % 9))
          .put("T", now).put("m", id % 2 == 0).put("M", true).encode();
      for (ServerWebSocket ws : sockets) {
        Set<String> subscribed = subscriptions.get(ws);
        if (subscribed != null && subscribed.contains(symbol)) {
          ws.writeTextMessage(trade);
          sent.incrementAndGet();
          delivered(ws, symbol, id);
        }
      }
      for (HttpServerResponse response : sseStreams) {
        if (sseWanted.getOrDefault(response, Set.of()).contains(symbol)) {
          response.write("data: " + trade + "\n\n");
          sent.incrementAndGet();
          delivered(response, symbol, id);
        }
      }
    }
    if (ticks % 10 == 0) {
      sseStreams.forEach(r -> r.write("event: heartbeat\ndata: {\"time\":" + now + "}\n\n"));
    }
  }
}
