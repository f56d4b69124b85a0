package ai.pintxo.weaver.testkit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves {@link ApiPayloads} on the paths of the real APIs, prefixed by the real host:
 * {@code https://api.llama.fi/protocols} is served at {@code http://127.0.0.1:<port>/api.llama.fi/protocols}
 * (see {@link #url(String)}). Each data type's endpoint can be switched to misbehave with {@link ApiBehaviour}.
 *
 * <p>Like the real servers, it answers with {@code ETag} and {@code Last-Modified} and honours
 * {@code If-None-Match} / {@code If-Modified-Since} with 304 ({@link #conditional(boolean)} turns that off),
 * pages JSON:API data types ({@link ApiPayloads#JSON_API}) with {@code links.next}, and can answer 429
 * with {@code Retry-After} ({@link #rateLimit}). {@link #change} replaces a payload, as a new day's data would.
 */
public final class ApiEmulator {

  /** Real endpoint (host and path) → data type. */
  public static final Map<String, String> ROUTES = Map.of(
      "api.llama.fi/protocols", "protocols",
      "api.llama.fi/v2/chains", "chains",
      "bridges.llama.fi/bridges", "bridges",
      "yields.llama.fi/pools", "pools",
      "stablecoins.llama.fi/stablecoins", "stablecoins",
      "api.coingecko.com/api/v3/coins/list", "tokens",
      "api.llama.fi/overview/dexs", "volumes",
      // dataType=dailyRevenue selects daily_revenue, see dataType(...)
      "api.llama.fi/overview/fees", "daily_fees",
      "api.geckoterminal.com/api/v2/networks/zksync/new_pools", "new_pools_zksync");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx;
  private final ApiPayloads payloads;
  private final HttpServer server;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final Map<String, ApiBehaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, java.util.List<Long>> requestTimes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> notModified = new ConcurrentHashMap<>();
  private final Map<String, int[]> rateLimits = new ConcurrentHashMap<>();
  private final Map<String, com.fasterxml.jackson.databind.JsonNode> documents = new ConcurrentHashMap<>();
  private final Map<String, String> lastModified = new ConcurrentHashMap<>();
  private final Map<String, com.fasterxml.jackson.databind.JsonNode> changed = new ConcurrentHashMap<>();
  private final Map<String, Long> trickleMillis = new ConcurrentHashMap<>();
  private final Map<String, Canned> canned = new ConcurrentHashMap<>();
  private volatile boolean conditional = true;
  private final ai.pintxo.weaver.testkit.activity.ActivityLog activity = new ai.pintxo.weaver.testkit.activity.ActivityLog();

  private ApiEmulator(Vertx vertx, ApiPayloads payloads, HttpServer server) {
    this.vertx = vertx;
    this.payloads = payloads;
    this.server = server;
  }

  /**
   * @param vertx    where to serve
   * @param payloads what to serve
   * @param port     port on 127.0.0.1, 0 for a free one
   * @return the emulator, once it listens
   */
  public static Future<ApiEmulator> start(Vertx vertx, ApiPayloads payloads, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setCompressionSupported(true));
    ApiEmulator emulator = new ApiEmulator(vertx, payloads, server);
    server.requestHandler(emulator::handle);
    // Generating 15,000 pools takes a while: do it once, on a worker, before serving.
    return vertx.executeBlocking(() -> {
      for (String dataType : payloads.dataTypes()) {
        emulator.body(dataType, false);
        emulator.wrongType(dataType);
      }
      emulator.body("tokens", true);
      for (String dataType : ApiPayloads.JSON_API) {
        if (payloads.dataTypes().contains(dataType)) {
          emulator.documents.put(dataType, payloads.response(dataType));
        }
      }
      return emulator;
    }).compose(e -> server.listen()).map(s -> emulator);
  }

  /** @return the local URL that serves a real endpoint URL (same path and query) */
  public String url(String realEndpoint) {
    URI uri = URI.create(realEndpoint);
    return "http://127.0.0.1:" + server.actualPort() + "/" + uri.getHost() + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** @return the port */
  public int port() {
    return server.actualPort();
  }

  /** @return the payload generator */
  public ApiPayloads payloads() {
    return payloads;
  }

  /** Makes a data type's endpoint answer as described. */
  public ApiEmulator behave(String dataType, ApiBehaviour behaviour) {
    behaviours.put(dataType, behaviour);
    return this;
  }

  /**
   * Makes a data type's endpoint answer {@link ApiBehaviour#TRICKLE}: 200, then one byte of the payload
   * every {@code everyMillis}, until the client goes away.
   */
  public ApiEmulator trickle(String dataType, long everyMillis) {
    trickleMillis.put(dataType, Math.max(1, everyMillis));
    return behave(dataType, ApiBehaviour.TRICKLE);
  }

  /**
   * @return every request, unit by unit: the unit is the endpoint's data type, the member the one named by the
   *     request's {@code User-Agent} ({@code … (member <m>)}); a request closes when its response ends or its connection closes
   */
  public ai.pintxo.weaver.testkit.activity.ActivityLog activity() {
    return activity;
  }

  /** @return how many requests a data type's endpoint received */
  public long requests(String dataType) {
    LongAdder n = requests.get(dataType);
    return n == null ? 0 : n.sum();
  }

  /**
   * @param dataType a data type
   * @return {@link System#nanoTime()} of each request its endpoint received, in order
   */
  public java.util.List<Long> requestTimes(String dataType) {
    java.util.List<Long> times = requestTimes.get(dataType);
    if (times == null) {
      return java.util.List.of();
    }
    synchronized (times) {
      return java.util.List.copyOf(times);
    }
  }

  /** @return how many requests of a data type were answered 304 Not Modified */
  public long notModified(String dataType) {
    LongAdder n = notModified.get(dataType);
    return n == null ? 0 : n.sum();
  }

  /** A fixed answer: status, headers and body as given, nothing added but what HTTP itself needs. */
  public record Canned(int status, Map<String, String> headers, byte[] body) {
  }

  /**
   * Makes a data type's endpoint answer {@link ApiBehaviour#CANNED}: exactly this status, these headers
   * and this body (e.g. {@code Content-Encoding: gzip} on a body that is not gzip), until another behaviour is set.
   */
  public ApiEmulator answer(String dataType, int status, Map<String, String> headers, byte[] body) {
    canned.put(dataType, new Canned(status, Map.copyOf(headers), body.clone()));
    return behave(dataType, ApiBehaviour.CANNED);
  }

  /** Answers conditional requests with 304 when the validators match (the default), or always in full. */
  public ApiEmulator conditional(boolean enabled) {
    this.conditional = enabled;
    return this;
  }

  /**
   * Makes the next {@code times} requests of a data type answer 429 Too Many Requests.
   *
   * @param retryAfterSeconds the {@code Retry-After} header, in seconds
   */
  public ApiEmulator rateLimit(String dataType, int times, int retryAfterSeconds) {
    rateLimits.put(dataType, new int[] {times, retryAfterSeconds});
    return this;
  }

  /**
   * Replaces a data type's payload by a changed copy (a new ETag and Last-Modified follow).
   *
   * @param change edits the generated response in place, e.g. one item's figures
   */
  public ApiEmulator change(String dataType, java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> change) {
    // Changes accumulate: each starts from what is served now.
    com.fasterxml.jackson.databind.JsonNode response = documents.containsKey(dataType)
        ? documents.get(dataType).deepCopy() : changed.getOrDefault(dataType, payloads.response(dataType)).deepCopy();
    change.accept(response);
    if (documents.containsKey(dataType)) {
      documents.put(dataType, response);
    } else {
      changed.put(dataType, response);
      bodies.put(dataType, write(response));
    }
    lastModified.put(dataType, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(1)));
    return this;
  }

  /** Stops serving. */
  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    String route = req.path().startsWith("/") ? req.path().substring(1) : req.path();
    String dataType = ROUTES.get(route);
    if ("daily_fees".equals(dataType) && "dailyRevenue".equals(req.getParam("dataType"))) {
      dataType = "daily_revenue";
    }
    if (dataType == null) {
      req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"message\":\"no such endpoint: " + route.replace("\"", "") + "\"}");
      return;
    }
    requests.computeIfAbsent(dataType, t -> new LongAdder()).increment();
    long handle = activity.open(dataType, ai.pintxo.weaver.testkit.activity.ActivityLog.memberOf(req.getHeader("User-Agent")));
    // end() is called on every path but TRICKLE's, which closes it when the client hangs up. No response close
    // handler here: with one set, the next request on the kept-alive connection was never answered (Vert.x 5.0.7).
    req.response().endHandler(v -> activity.close(handle));
    java.util.List<Long> times = requestTimes.computeIfAbsent(dataType, t -> new java.util.ArrayList<>());
    synchronized (times) {
      times.add(System.nanoTime());
    }
    int[] limit = rateLimits.get(dataType);
    if (limit != null && limit[0] > 0) {
      limit[0]--;
      req.response().setStatusCode(429).putHeader("Retry-After", Integer.toString(limit[1]))
          .putHeader("Content-Type", "application/json").end("{\"status\":429,\"error\":\"Too Many Requests\"}");
      return;
    }
    boolean platforms = "true".equals(req.getParam("include_platform"));
    ApiBehaviour behaviour = behaviours.getOrDefault(dataType, ApiBehaviour.NORMAL);
    switch (behaviour) {
      case HTML -> req.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .end("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
      case SERVER_ERROR -> req.response().setStatusCode(500).putHeader("Content-Type", "application/json")
          .end("{\"message\":\"Internal server error\"}");
      case TRUNCATED_JSON -> {
        byte[] body = body(dataType, platforms);
        req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body).slice(0, body.length / 2));
      }
      case WRONG_FIELD_TYPE -> req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(wrongType(dataType)));
      case CANNED -> {
        Canned answer = canned.get(dataType);
        io.vertx.core.http.HttpServerResponse response = req.response().setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(answer.body()));
      }
      case TRICKLE -> trickle(req, body(dataType, platforms), trickleMillis.getOrDefault(dataType, 100L), handle);
      default -> normal(req, dataType, platforms);
    }
  }

  private void normal(HttpServerRequest req, String dataType, boolean platforms) {
    byte[] body;
    if (documents.containsKey(dataType)) {
      int page = parsePage(req.getParam("page"));
      String next = "http://127.0.0.1:" + server.actualPort() + req.path() + "?" + (req.query() == null ? "" : req.query()
          .replaceAll("(^|&)page=[^&]*", "") + "&") + "page=" + (page + 1);
      body = write(ApiPayloads.jsonApiPage(documents.get(dataType), page, next.replace("?&", "?")));
    } else {
      body = body(dataType, platforms);
    }
    String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "-" + body.length + "\"";
    String modified = lastModified.computeIfAbsent(dataType, t -> java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0)));
    req.response().putHeader("ETag", etag).putHeader("Last-Modified", modified);
    if (conditional && (etag.equals(req.getHeader("If-None-Match"))
        || (req.getHeader("If-None-Match") == null && modified.equals(req.getHeader("If-Modified-Since"))))) {
      notModified.computeIfAbsent(dataType, t -> new LongAdder()).increment();
      req.response().setStatusCode(304).end();
      return;
    }
    req.response().putHeader("Content-Type", "application/json; charset=utf-8").end(Buffer.buffer(body));
  }

  private void trickle(HttpServerRequest req, byte[] body, long everyMillis, long handle) {
    io.vertx.core.http.HttpServerResponse response = req.response().setChunked(true)
        .putHeader("Content-Type", "application/json; charset=utf-8");
    response.writeHead();
    int[] sent = {0};
    long timer = vertx.setPeriodic(everyMillis, id -> {
      if (response.closed() || response.ended()) {
        vertx.cancelTimer(id);
        return;
      }
      if (sent[0] >= body.length) {
        vertx.cancelTimer(id);
        response.end();
        return;
      }
      response.write(Buffer.buffer(new byte[] {body[sent[0]++]}));
    });
    // The client hung up (a poller's time limit): stop writing to the closed connection.
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      activity.close(handle); // replaces the close handler handle(...) set
    });
  }

  private static int parsePage(String page) {
    try {
      return page == null ? 1 : Math.max(1, Integer.parseInt(page));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private byte[] body(String dataType, boolean platforms) {
    return bodies.computeIfAbsent(dataType + (platforms ? "+platforms" : ""), key -> {
      if (dataType.equals("tokens") && !platforms) {
        ArrayNode tokens = (ArrayNode) payloads.response("tokens");
        tokens.forEach(t -> ((ObjectNode) t).remove("platforms"));
        return write(tokens);
      }
      return payloads.responseBytes(dataType);
    });
  }

  private byte[] wrongType(String dataType) {
    return bodies.computeIfAbsent(dataType + "+wrong", key -> wrongTypeBody(dataType));
  }

  private byte[] wrongTypeBody(String dataType) {
    com.fasterxml.jackson.databind.JsonNode response = payloads.response(dataType);
    ObjectNode first = payloads.items(dataType).isEmpty() ? null : firstItem(response, dataType);
    if (first != null) {
      switch (dataType) {
        case "tokens" -> first.put("name", 42);
        case "protocols", "chains" -> first.put("tvl", "1.5B");
        case "bridges" -> first.put("id", "bridge-one");
        case "stablecoins" -> first.put("price", "one dollar");
        case "pools" -> first.put("tvlUsd", "n/a");
        case "volumes", "daily_fees", "daily_revenue" -> first.put("total24h", "lots");
        case "new_pools_zksync" -> ((ObjectNode) first.get("attributes")).put("volume_usd", "huge");
        default -> throw new IllegalArgumentException(dataType);
      }
    }
    return write(response);
  }

  private static ObjectNode firstItem(com.fasterxml.jackson.databind.JsonNode response, String dataType) {
    com.fasterxml.jackson.databind.JsonNode array = switch (dataType) {
      case "bridges" -> response.get("bridges");
      case "stablecoins" -> response.get("peggedAssets");
      case "pools", "new_pools_zksync" -> response.get("data");
      case "volumes", "daily_fees", "daily_revenue" -> response.get("protocols");
      default -> response;
    };
    return (ObjectNode) array.get(0);
  }

  private static byte[] write(com.fasterxml.jackson.databind.JsonNode value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
