package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.VespaSchemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoint server → ApiPollerVerticle → Kafka (embedded broker) → EngineConnectorVerticle → Vespa
 * emulator, for all ten endpoint types: every generated item is a document with the source's values,
 * and nothing else is there. GeckoTerminal's JSON:API pools are compared with their attributes and
 * resolved relationships flattened as the {@code new_pool} schema holds them.
 */
class ApiToVespaPipelineTest {

  /** data type → Vespa document type and the item field that is the document id. */
  static final Map<String, String[]> DOCUMENTS = Map.of(
      "tokens", new String[] {"tokens", "id"},
      "protocols", new String[] {"protocol", "name"},
      "chains", new String[] {"chain", "name"},
      "bridges", new String[] {"bridge", "id"},
      "stablecoins", new String[] {"stablecoin", "id"},
      "pools", new String[] {"pool", "pool"},
      "volumes", new String[] {"dex_volume", "defillamaId"},
      "daily_fees", new String[] {"daily_fees", "defillamaId"},
      "daily_revenue", new String[] {"daily_revenue", "defillamaId"},
      "new_pools_zksync", new String[] {"new_pool", "id"});

  static final ApiPayloads PAYLOADS = ApiPayloads.scaled(7, 0.04);
  static final java.util.Set<String> DECIMAL_STRINGS = java.util.Set.of("base_token_price_usd", "quote_token_price_usd",
      "fdv_usd", "market_cap_usd", "reserve_in_usd");
  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(PAYLOADS);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void everyGeneratedRecordReachesVespaWithItsFields() {
    List<String> dataTypes = PAYLOADS.dataTypes();
    pipeline.deploy(() -> new EngineConnectorVerticle(pipeline.connectorOptions()));
    pipeline.deploy(() -> new ApiPollerVerticle(pipeline.pollerOptions(dataTypes)));

    Map<String, Integer> expected = new TreeMap<>();
    dataTypes.forEach(t -> expected.put(DOCUMENTS.get(t)[0], PAYLOADS.size(t)));
    Await.until("every generated record in Vespa", Duration.ofSeconds(90),
        () -> pipeline.vespa.counts().equals(expected), () -> pipeline.vespa.counts() + " expected " + expected);

    VespaSchemas schemas = VespaSchemas.fromClasspath();
    for (String dataType : dataTypes) {
      String docType = DOCUMENTS.get(dataType)[0];
      String idField = DOCUMENTS.get(dataType)[1];
      for (ObjectNode source : PAYLOADS.items(dataType)) {
        ObjectNode item = docType.equals("new_pool") ? flattenGeckoPool(source, PAYLOADS.response(dataType)) : source;
        String id = item.get(idField).asText();
        JsonObject doc = pipeline.vespa.document(docType, id).orElseThrow(() -> new AssertionError(docType + " '" + id + "' missing"));
        for (String field : schemas.describe(docType).keySet()) {
          assertField(docType, id, field, item.get(field), doc.getValue(field));
        }
      }
    }
    assertThat(pipeline.count("weaver.documents.fed", "result", "ok")).isEqualTo(expected.values().stream().mapToInt(i -> i).sum());
    assertThat(pipeline.count("weaver.dead.letters")).isZero();
  }

  /** A JSON:API pool as the {@code new_pool} document holds it: attributes, decimal strings as numbers, relationships resolved. */
  private static ObjectNode flattenGeckoPool(ObjectNode pool, JsonNode document) {
    ObjectNode flat = JSON.createObjectNode();
    String id = pool.get("id").asText();
    flat.put("id", id);
    flat.put("network", id.substring(0, id.indexOf('_')));
    JsonNode a = pool.get("attributes");
    flat.set("address", a.get("address"));
    flat.set("name", a.get("name"));
    flat.set("pool_created_at", a.get("pool_created_at"));
    DECIMAL_STRINGS.forEach(f -> flat.set(f, a.get(f).isNull() ? a.get(f) : JSON.getNodeFactory().numberNode(new java.math.BigDecimal(a.get(f).asText()))));
    for (String map : List.of("volume_usd", "price_change_percentage")) {
      ObjectNode numbers = flat.putObject(map);
      a.get(map).fields().forEachRemaining(e -> numbers.put(e.getKey(), Double.parseDouble(e.getValue().asText())));
    }
    for (String rel : List.of("base_token", "quote_token", "dex")) {
      String relId = pool.get("relationships").get(rel).get("data").get("id").asText();
      JsonNode included = null;
      for (JsonNode r : document.get("included")) {
        if (r.get("id").asText().equals(relId)) {
          included = r.get("attributes");
        }
      }
      if (rel.equals("dex")) {
        flat.put("dex_id", relId);
        flat.set("dex_name", included.get("name"));
        continue;
      }
      flat.put(rel + "_id", relId);
      for (String f : List.of("address", "name", "symbol", "decimals", "coingecko_coin_id")) {
        flat.set(rel + "_" + f, included.get(f));
      }
    }
    return flat;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** JSON equality where 75416801809 equals 7.5416801809E10. */
  private static final java.util.Comparator<JsonNode> NUMERIC = (a, b) ->
      a.isNumber() && b.isNumber() ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1;

  private static void assertField(String docType, String id, String field, JsonNode source, Object stored) {
    String where = docType + " '" + id + "' field " + field;
    if (source == null || source.isNull()) {
      if (docType.equals("pool") && stored instanceof Number n) {
        assertThat(n.doubleValue()).as(where + " (null written as 0)").isZero();
      } else if (field.equals("cmcId") || field.equals("displayName")) {
        assertThat(stored).as(where + " (default \"\" reads as absent)").isNull();
      } else {
        assertThat(stored).as(where + " (absent in the source)").isNull();
      }
      return;
    }
    if (docType.equals("stablecoin") && (source.isObject() || source.isNumber()) && stored instanceof String s) {
      JsonNode written = read(s);
      assertThat(written.equals(NUMERIC, source)).as(where + " (JSON string) " + written + " vs " + source).isTrue();
      return;
    }
    if (source.isNumber()) {
      assertThat(((Number) stored).doubleValue()).as(where).isEqualTo(source.asDouble());
    } else if (source.isTextual()) {
      assertThat(stored).as(where).isEqualTo(source.asText().isEmpty() ? null : source.asText());
    } else if (source.isBoolean()) {
      assertThat(stored).as(where).isEqualTo(source.asBoolean());
    } else {
      Object plain = stored instanceof io.vertx.core.json.JsonArray a ? a.getList() : stored instanceof JsonObject o ? o.getMap() : stored;
      JsonNode written = JSON.valueToTree(plain);
      assertThat(written.equals(NUMERIC, source)).as(where + " " + written + " vs " + source).isTrue();
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
