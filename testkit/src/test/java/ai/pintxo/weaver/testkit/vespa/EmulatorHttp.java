package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HTTP client of the emulator: HTTP/1.1, or HTTP/2 cleartext with prior knowledge as
 * vespa-feed-client opens it. {@link #sendAsync} for concurrent exchanges, the other methods block the
 * test thread on each exchange.
 */
final class EmulatorHttp implements AutoCloseable {

  /** What the emulator answered. */
  record Response(int status, HttpVersion version, MultiMap headers, Buffer body) {

    static Response of(HttpResponse<Buffer> response) {
      Buffer body = response.body();
      return new Response(response.statusCode(), response.version(), response.headers(), body == null ? Buffer.buffer() : body);
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    String message() {
      return json().getString("message");
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  private final WebClient client;
  private final HttpVersion version;

  EmulatorHttp(Vertx vertx, int port, HttpVersion version) {
    this.version = version;
    WebClientOptions options = new WebClientOptions().setProtocolVersion(version).setDefaultHost("127.0.0.1").setDefaultPort(port);
    if (version == HttpVersion.HTTP_2) {
      options.setHttp2ClearTextUpgrade(false);
    }
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(8));
  }

  HttpVersion version() {
    return version;
  }

  /** @return the path of a document, the user-specified id form-encoded as vespa-feed-client does */
  static String docPath(String type, String userId) {
    return "/document/v1/pintxo/" + type + "/docid/" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
  }

  /** Sends {@code uri} exactly as given (already encoded), with {@code body} unless it is null. */
  Future<Response> sendAsync(HttpMethod method, String uri, Buffer body, Map<String, String> headers) {
    HttpRequest<Buffer> request = client.request(method, uri).putHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
    return (body == null ? request.send() : request.sendBuffer(body)).map(Response::of);
  }

  Response send(HttpMethod method, String uri, Buffer body, Map<String, String> headers) {
    try {
      return sendAsync(method, uri, body, headers).await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(method + " " + uri + " got no response", e);
    }
  }

  Response send(HttpMethod method, String uri, JsonObject body) {
    return send(method, uri, body == null ? null : body.toBuffer(), Map.of("Content-Type", "application/json"));
  }

  Response send(HttpMethod method, String uri, String body) {
    return send(method, uri, body == null ? null : Buffer.buffer(body), Map.of("Content-Type", "application/json"));
  }

  Response get(String uri) {
    return send(HttpMethod.GET, uri, (Buffer) null, Map.of());
  }

  /** A partial update that assigns the given fields. */
  static JsonObject assign(Map<String, Object> fields) {
    JsonObject out = new JsonObject();
    fields.forEach((k, v) -> out.put(k, new JsonObject().put("assign", v)));
    return new JsonObject().put("fields", out);
  }

  @Override
  public void close() {
    client.close();
  }
}
