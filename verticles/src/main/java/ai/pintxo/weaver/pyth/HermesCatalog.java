package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.impl.http.HttpFailures;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.impl.http.ResponseDeadline;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hermes' feed catalog ({@code /v2/price_feeds}): id → symbol and base, fetched within the host's budget
 * and within {@link #TIME_LIMIT}, body included. A plain client request rather than a web client's: a
 * limit on the whole response has to reset the request when it passes (else a trickling answer would
 * hold a connection of the streams' pool), and the web client does not hand its request out.
 */
final class HermesCatalog {

  /**
   * Time limit of the catalog's request, from sending it to the last byte: the catalog is a few MB, which
   * a slow link reads in seconds. A constant, not an option: the catalog only checks the configured feeds,
   * and when it is late the streams start with the configured symbols.
   */
  static final Duration TIME_LIMIT = Duration.ofSeconds(30);

  private HermesCatalog() {
  }

  /**
   * @param timeLimit the request's limit, body included: {@link #TIME_LIMIT}
   * @return feed id (64 lower-case hex) → feed
   */
  static Future<Map<String, PythFeed>> fetch(Vertx vertx, HttpClient client, String endpoint, String tokenQuery, MultiMap headers,
                                            RequestBudget budget, Duration lockout, Duration timeLimit) {
    String url = endpoint + "/v2/price_feeds" + (tokenQuery.isEmpty() ? "" : "?" + tokenQuery.substring(1));
    RecordOrigin origin = RecordOrigin.source(Redact.url(endpoint) + "/v2/price_feeds");
    return budget.permit(vertx)
        .compose(v -> {
          ResponseDeadline deadline = new ResponseDeadline(vertx, timeLimit, "the catalog's time limit", origin,
              "catalog request to " + origin);
          return deadline.bound(get(client, url, headers, timeLimit, deadline));
        })
        .compose(response -> {
          HttpClientResponse resp = response.head();
          if (resp.statusCode() != 200) {
            WeaverFailure failure = HttpFailures.status(origin, resp.statusCode(), resp.getHeader("Retry-After"),
                "Hermes answered " + resp.statusCode() + " to /v2/price_feeds");
            if (failure instanceof RetriableFailure retriable && retriable.status() == 429) {
              budget.lockout(retriable.retryAfter().orElse(lockout));
            }
            return Future.<Map<String, PythFeed>>failedFuture(failure);
          }
          byte[] body = response.body().getBytes();
          // The catalog is a few MB: parsed on a worker, never on the event loop.
          return vertx.executeBlocking(() -> parse(body, origin), false);
        }, err -> Future.failedFuture(HttpFailures.transport(origin, err, timeLimit, "catalog request to " + origin + " failed")));
  }

  /** A response and its whole body. */
  private record Response(HttpClientResponse head, Buffer body) {
  }

  private static Future<Response> get(HttpClient client, String url, MultiMap headers, Duration timeLimit,
                                      ResponseDeadline deadline) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setHeaders(headers).setFollowRedirects(true)
        .setIdleTimeout(timeLimit.toMillis());
    return client.request(request)
        .compose(req -> {
          deadline.attach(req);
          return req.send();
        })
        .compose(resp -> resp.body().map(body -> new Response(resp, body)));
  }

  static Map<String, PythFeed> parse(byte[] body, RecordOrigin origin) {
    JsonNode feeds;
    try {
      feeds = Json.mapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new PayloadDecodeException(origin, null, "catalog is not JSON: " + e, e);
    }
    Map<String, PythFeed> catalog = new HashMap<>();
    for (JsonNode feed : feeds) {
      String id = feed.path("id").asText().toLowerCase(Locale.ROOT);
      if (id.startsWith("0x")) {
        id = id.substring(2);
      }
      JsonNode attributes = feed.path("attributes");
      String symbol = attributes.path("symbol").asText(id);
      String base = attributes.hasNonNull("base") ? attributes.get("base").asText() : PythFeed.baseOf(symbol);
      catalog.put(id, new PythFeed(id, symbol, base));
    }
    return catalog;
  }
}
