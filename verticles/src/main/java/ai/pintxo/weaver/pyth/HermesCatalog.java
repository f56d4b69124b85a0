package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.impl.http.HttpFailures;
import ai.pintxo.weaver.impl.http.RequestBudget;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Hermes' feed catalog ({@code /v2/price_feeds}): id → symbol and base, fetched within the host's budget. */
final class HermesCatalog {

  private HermesCatalog() {
  }

  /**
   * @return feed id (64 lower-case hex) → feed
   */
  static Future<Map<String, PythFeed>> fetch(Vertx vertx, HttpClient client, String endpoint, String tokenQuery, MultiMap headers,
                                            RequestBudget budget, Duration lockout) {
    String url = endpoint + "/v2/price_feeds" + (tokenQuery.isEmpty() ? "" : "?" + tokenQuery.substring(1));
    RecordOrigin origin = RecordOrigin.source(Redact.url(endpoint) + "/v2/price_feeds");
    WebClient web = WebClient.wrap(client); // shares the streams' connection pool; a web client for one JSON GET
    return budget.permit(vertx)
        .compose(v -> web.getAbs(url).putHeaders(headers).send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            WeaverFailure failure = HttpFailures.status(origin, resp.statusCode(), resp.getHeader("Retry-After"),
                "Hermes answered " + resp.statusCode() + " to /v2/price_feeds");
            if (failure instanceof RetriableFailure retriable && retriable.status() == 429) {
              budget.lockout(retriable.retryAfter().orElse(lockout));
            }
            return Future.<Map<String, PythFeed>>failedFuture(failure);
          }
          byte[] body = resp.body() == null ? new byte[0] : resp.body().getBytes();
          // The catalog is a few MB: parsed on a worker, never on the event loop.
          return vertx.executeBlocking(() -> parse(body, origin), false);
        }, err -> Future.failedFuture(HttpFailures.transport(origin, err, Duration.ofSeconds(10),
            "catalog request to " + origin + " failed")));
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
