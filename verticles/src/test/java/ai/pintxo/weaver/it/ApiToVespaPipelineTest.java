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
 * emulator: every generated item is a document with the source's values, and nothing else is there.
 */
class ApiToVespaPipelineTest {

  /** data type → Vespa document type and the item field that is the document id. */
  static final Map<String, String[]> DOCUMENTS = Map.of(
      "tokens", new String[] {"tokens", "id"},
      "protocols", new String[] {"protocol", "name"},
      "chains", new String[] {"chain", "name"},
      "bridges", new String[] {"bridge", "id"},
      "stablecoins", new String[] {"stablecoin", "id"},
      "pools", new String[] {"pool", "pool"});

  static final ApiPayloads PAYLOADS = ApiPayloads.scaled(7, 0.04);
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
      for (ObjectNode item : PAYLOADS.items(dataType)) {
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
      assertThat(written).as(where).isEqualTo(source);
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
