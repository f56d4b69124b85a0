package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.http.RequestBudget;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
    return budget.permit(vertx)
        .compose(v -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setHeaders(headers)))
        .compose(req -> req.send())
        .compose(resp -> resp.body().compose(body -> {
          if (resp.statusCode() == 429) {
            budget.lockout(RequestBudget.retryAfter(resp.getHeader("Retry-After"), lockout));
            return Future.failedFuture("Hermes rate-limited the catalog request (429)");
          }
          if (resp.statusCode() != 200) {
            return Future.failedFuture("Hermes answered " + resp.statusCode() + " to /v2/price_feeds");
          }
          return vertx.executeBlocking(() -> parse(body.getBytes()), false);
        }));
  }

  static Map<String, PythFeed> parse(byte[] body) throws java.io.IOException {
    JsonNode feeds = Json.mapper().readTree(body);
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
