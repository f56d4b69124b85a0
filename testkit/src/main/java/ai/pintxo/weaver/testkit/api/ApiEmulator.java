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
 */
public final class ApiEmulator {

  /** Real endpoint (host and path) → data type. */
  public static final Map<String, String> ROUTES = Map.of(
      "api.llama.fi/protocols", "protocols",
      "api.llama.fi/v2/chains", "chains",
      "bridges.llama.fi/bridges", "bridges",
      "yields.llama.fi/pools", "pools",
      "stablecoins.llama.fi/stablecoins", "stablecoins",
      "api.coingecko.com/api/v3/coins/list", "tokens");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ApiPayloads payloads;
  private final HttpServer server;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final Map<String, ApiBehaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

  private ApiEmulator(ApiPayloads payloads, HttpServer server) {
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
    ApiEmulator emulator = new ApiEmulator(payloads, server);
    server.requestHandler(emulator::handle);
    // Generating 15,000 pools takes a while: do it once, on a worker, before serving.
    return vertx.executeBlocking(() -> {
      for (String dataType : payloads.dataTypes()) {
        emulator.body(dataType, false);
        emulator.wrongType(dataType);
      }
      emulator.body("tokens", true);
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

  /** @return how many requests a data type's endpoint received */
  public long requests(String dataType) {
    LongAdder n = requests.get(dataType);
    return n == null ? 0 : n.sum();
  }

  /** Stops serving. */
  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    String route = req.path().startsWith("/") ? req.path().substring(1) : req.path();
    String dataType = ROUTES.get(route);
    if (dataType == null) {
      req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"message\":\"no such endpoint: " + route.replace("\"", "") + "\"}");
      return;
    }
    requests.computeIfAbsent(dataType, t -> new LongAdder()).increment();
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
      default -> req.response().putHeader("Content-Type", "application/json; charset=utf-8").end(Buffer.buffer(body(dataType, platforms)));
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
        default -> throw new IllegalArgumentException(dataType);
      }
    }
    return write(response);
  }

  private static ObjectNode firstItem(com.fasterxml.jackson.databind.JsonNode response, String dataType) {
    com.fasterxml.jackson.databind.JsonNode array = switch (dataType) {
      case "bridges" -> response.get("bridges");
      case "stablecoins" -> response.get("peggedAssets");
      case "pools" -> response.get("data");
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
