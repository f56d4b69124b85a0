package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Hermes price updates (the JSON of a stream event or of {@code /v2/updates/price/latest}):
 * the {@code parsed} array, each with {@code price} and {@code ema_price} of
 * {@code {price, conf, expo, publish_time}}. Integers in strings are scaled exactly.
 */
final class PriceUpdates {

  private PriceUpdates() {
  }

  /**
   * @param json   the event data
   * @param feeds  feed id → feed, for symbol and base
   * @param source where it came from, for errors
   * @return the updates of the known feeds
   * @throws PayloadDecodeException when the JSON does not have the expected shape
   */
  public static List<PythPrice> parse(String json, Map<String, PythFeed> feeds, String source) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new PayloadDecodeException(RecordOrigin.source(source), null, "not JSON: " + ai.pintxo.weaver.config.JsonErrors.describe(e), e);
    }
    JsonNode parsed = root == null ? null : root.get("parsed");
    if (parsed == null || !parsed.isArray()) {
      throw new PayloadDecodeException(RecordOrigin.source(source), "parsed", "expected an array of price updates", null);
    }
    List<PythPrice> prices = new ArrayList<>(parsed.size());
    for (int i = 0; i < parsed.size(); i++) {
      JsonNode update = parsed.get(i);
      String id = text(update, "id", source, i).toLowerCase(java.util.Locale.ROOT);
      if (id.startsWith("0x")) {
        id = id.substring(2);
      }
      PythFeed feed = feeds.get(id);
      if (feed == null) {
        continue; // a feed of another stream or no longer wanted
      }
      JsonNode price = object(update, "price", source, i);
      JsonNode ema = update.get("ema_price");
      int expo = integer(price, "expo", source, i);
      try {
        prices.add(new PythPrice(id, feed.symbol(), feed.base(),
            PythPrice.scale(text(price, "price", source, i), expo), PythPrice.scale(text(price, "conf", source, i), expo), expo,
            price.path("publish_time").asLong(),
            ema == null ? null : PythPrice.scale(text(ema, "price", source, i), ema.path("expo").asInt(expo)),
            ema == null ? null : PythPrice.scale(text(ema, "conf", source, i), ema.path("expo").asInt(expo))));
      } catch (NumberFormatException e) {
        throw new PayloadDecodeException(RecordOrigin.source(source), "parsed[" + i + "].price", "not an integer: " + e.getMessage(), e);
      }
    }
    return prices;
  }

  private static String text(JsonNode node, String field, String source, int index) {
    JsonNode value = node.get(field);
    if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
      throw new PayloadDecodeException(RecordOrigin.source(source), "parsed[" + index + "]." + field, "expected an integer string", null);
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field, String source, int index) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber()) {
      throw new PayloadDecodeException(RecordOrigin.source(source), "parsed[" + index + "].price." + field, "expected an integer", null);
    }
    return value.asInt();
  }

  private static JsonNode object(JsonNode node, String field, String source, int index) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new PayloadDecodeException(RecordOrigin.source(source), "parsed[" + index + "]." + field, "expected an object", null);
    }
    return value;
  }
}
