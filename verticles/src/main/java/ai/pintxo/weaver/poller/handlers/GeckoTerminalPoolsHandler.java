package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.DecimalText;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.codecs.api.GeckoToken;
import ai.pintxo.weaver.poller.JsonApiHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GeckoTerminal pool lists ({@code /networks/<network>/new_pools}, {@code ?include=base_token,quote_token,dex}):
 * JSON:API pools whose base and quote token and DEX are resolved from {@code included}. Amounts come
 * as decimal strings and are kept exact; a number where a string is expected is accepted (same value),
 * anything else is an error naming the field. A network is a subclass with its data type and topic.
 */
public abstract class GeckoTerminalPoolsHandler extends JsonApiHandler<GeckoPool> {

  protected GeckoTerminalPoolsHandler(String dataType, Topic<GeckoPool> topic) {
    super(dataType, topic);
  }

  @Override
  protected GeckoPool map(JsonNode resource, Included included) {
    String id = text(resource, "id", "id");
    if (!resource.path("type").isMissingNode() && !"pool".equals(resource.path("type").asText())) {
      throw new ResourceException("type", "expected \"pool\", got " + resource.get("type"));
    }
    JsonNode a = resource.path("attributes");
    if (!a.isObject()) {
      throw new ResourceException("attributes", "expected an object, got " + a.getNodeType());
    }
    int underscore = id.indexOf('_');
    Related dex = included.related(resource, "dex").orElse(null);
    return new GeckoPool(
        id,
        underscore > 0 ? id.substring(0, underscore) : null,
        text(a, "address", "attributes.address"),
        text(a, "name", "attributes.name"),
        text(a, "pool_created_at", "attributes.pool_created_at"),
        decimal(a, "base_token_price_usd"),
        decimal(a, "quote_token_price_usd"),
        decimal(a, "fdv_usd"),
        decimal(a, "market_cap_usd"),
        decimal(a, "reserve_in_usd"),
        decimals(a, "volume_usd"),
        decimals(a, "price_change_percentage"),
        token(included, resource, "base_token"),
        token(included, resource, "quote_token"),
        dex == null ? null : dex.id(),
        dex == null ? null : dex.resource().map(r -> text(r.path("attributes"), "name", "included dex attributes.name")).orElse(null));
  }

  private static GeckoToken token(Included included, JsonNode resource, String relationship) {
    return included.related(resource, relationship).map(r -> {
      JsonNode a = r.resource().map(t -> t.path("attributes")).orElse(null);
      if (a == null) {
        return new GeckoToken(r.id(), null, null, null, null, null); // related but not included: the id is all we know
      }
      String where = "included " + relationship + " attributes.";
      JsonNode decimals = a.path("decimals");
      if (!decimals.isMissingNode() && !decimals.isNull() && !decimals.canConvertToExactIntegral()) {
        throw new ResourceException(where + "decimals", "expected an integer, got " + decimals);
      }
      return new GeckoToken(r.id(), text(a, "address", where + "address"), text(a, "name", where + "name"),
          text(a, "symbol", where + "symbol"), decimals.isNumber() ? decimals.intValue() : null,
          text(a, "coingecko_coin_id", where + "coingecko_coin_id"));
    }).orElse(null);
  }

  private static String text(JsonNode object, String name, String field) {
    JsonNode v = object.path(name);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ResourceException(field, "expected string, got " + v.getNodeType().name().toLowerCase() + " " + v);
    }
    return v.asText();
  }

  private static BigDecimal decimal(JsonNode object, String name) {
    return decimalValue(object.path(name), "attributes." + name);
  }

  private static BigDecimal decimalValue(JsonNode v, String field) {
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    try {
      return DecimalText.of(v);
    } catch (IllegalArgumentException e) {
      throw new ResourceException(field, e.getMessage());
    }
  }

  private static Map<String, BigDecimal> decimals(JsonNode object, String name) {
    JsonNode v = object.path(name);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new ResourceException("attributes." + name, "expected an object of decimals, got " + v.getNodeType().name().toLowerCase());
    }
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      BigDecimal d = decimalValue(e.getValue(), "attributes." + name + "." + e.getKey());
      if (d != null) {
        out.put(e.getKey(), d); // a window without a figure is left out
      }
    });
    return out;
  }
}
