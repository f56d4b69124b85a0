package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP client of the emulator: HTTP/1.1, or HTTP/2 cleartext with prior knowledge as
 * vespa-feed-client opens it. Blocks the test thread on each exchange.
 */
final class EmulatorHttp implements AutoCloseable {

  /** What the emulator answered. */
  record Response(int status, HttpVersion version, MultiMap headers, Buffer body) {

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

  private final HttpClientAgent client;
  private final Context context;
  private final HttpVersion version;
  private final int port;

  EmulatorHttp(Vertx vertx, int port, HttpVersion version) {
    this.version = version;
    this.port = port;
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(version);
    if (version == HttpVersion.HTTP_2) {
      options.setHttp2ClearTextUpgrade(false);
    }
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(8));
    this.context = vertx.getOrCreateContext();
  }

  HttpVersion version() {
    return version;
  }

  /** @return the path of a document, the user-specified id form-encoded as vespa-feed-client does */
  static String docPath(String type, String userId) {
    return "/document/v1/pintxo/" + type + "/docid/" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
  }

  Future<Response> sendAsync(HttpMethod method, String uri, Buffer body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    headers.forEach(options::putHeader);
    // Run the exchange on a Vert.x context: composed from the test thread, the response's body could
    // be read only after it has already been delivered, and the exchange would never complete.
    Promise<Response> promise = Promise.promise();
    context.runOnContext(v -> client.request(options)
        .compose(req -> (body == null ? req.send() : req.send(body))
            .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.version(), resp.headers(), b))))
        .onComplete(promise));
    return promise.future();
  }

  Response send(HttpMethod method, String uri, Buffer body, Map<String, String> headers) {
    try {
      return sendAsync(method, uri, body, headers).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
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
    client.close().await();
  }
}
