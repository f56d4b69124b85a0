package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.declared.DeclaredRecord;
import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.connector.DocumentProcessor;
import ai.pintxo.weaver.connector.RecordTopicOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoints that declare their records in configuration: what they read, what they feed, and the errors that stop a launch. */
class DeclaredEndpointTest {

  private static JsonObject endpoint() {
    return new JsonObject().put("endpoint", "https://api.example.com/v1/markets").put("dataType", "markets")
        .put("recordsAt", "/data")
        .put("fields", new JsonObject().put("/id", "string").put("/stats/price", new JsonObject().put("name", "price").put("type", "double"))
            .put("/volume", "decimal").put("/n", "long").put("/ok", "boolean").put("/tags", "array<string>"))
        .put("idField", "id").put("documentType", "market");
  }

  private static ConfigException error(JsonObject json) {
    try {
      new EndpointOptions(json, "endpoints[0]");
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("accepted " + json);
  }

  @Test
  void readsEachFieldAtItsPointerAndNamesTheFieldOfAnItemThatDoesNotFit() {
    ApiHandler<?> handler = new EndpointOptions(endpoint(), "endpoints[0]").handler();
    assertThat(handler.topic().name()).isEqualTo("markets-api-topic");
    ParsedResponse<?> parsed = handler.parse(("""
        {"data": [{"id": "a", "stats": {"price": 1.5}, "volume": "12.3400", "n": 7, "ok": true, "tags": ["x"], "other": 1},
                  {"id": "b", "stats": {"price": "high"}},
                  {"id": "c"}]}""").getBytes(StandardCharsets.UTF_8), "t");
    assertThat(parsed.records()).hasSize(2);
    DeclaredRecord a = (DeclaredRecord) parsed.records().get(0);
    assertThat(a.key()).isEqualTo("a");
    assertThat(a.doubleValue(a.index("price"))).isEqualTo(1.5);
    assertThat(a.decimal(a.index("volume"))).isEqualTo(new BigDecimal("12.3400"));
    assertThat(a.longValue(a.index("n"))).isEqualTo(7L);
    assertThat(a.bool(a.index("ok"))).isTrue();
    assertThat(a.strings(a.index("tags"))).isEqualTo(List.of("x"));
    assertThatThrownBy(() -> a.string(a.index("price"))).as("the schema fixed the type")
        .hasMessage("declared field 'price' is double, not string");
    assertThat(((DeclaredRecord) parsed.records().get(1)).key()).as("absent fields are no value").isEqualTo("c");
    assertThat(parsed.failures()).singleElement().satisfies(f -> {
      assertThat(f.index()).isEqualTo(1);
      assertThat(f.error().getMessage()).contains("data[1]/stats/price").contains("expected double, got string");
    });
    // On the topic and back: the same record, the decimal's digits kept.
    @SuppressWarnings("unchecked")
    ai.pintxo.weaver.codecs.Topic<DeclaredRecord> topic = (ai.pintxo.weaver.codecs.Topic<DeclaredRecord>) handler.topic();
    assertThat(topic.decode(topic.encode(a), 0, 0)).isEqualTo(a);
  }

  @Test
  void theConnectorsEntryFeedsEveryFieldWithItsVespaType() {
    EndpointOptions options = new EndpointOptions(endpoint(), "endpoints[0]");
    RecordTopicOptions route = options.recordRoute().orElseThrow();
    @SuppressWarnings("unchecked")
    DocumentProcessor<DeclaredRecord> processor = (DocumentProcessor<DeclaredRecord>) new ai.pintxo.weaver.connector.EngineConnectorOptions(
        new JsonObject().put("records", new io.vertx.core.json.JsonArray().add(route.toJson()))).processorFor("markets-api-topic").orElseThrow();
    assertThat(processor.documentType()).isEqualTo("market");
    DeclaredRecord record = (DeclaredRecord) options.handler().parse(("{\"data\": [{\"id\": \"a\", \"stats\": {\"price\": 2},"
        + " \"volume\": 0.10, \"n\": 3, \"ok\": false, \"tags\": []}]}").getBytes(StandardCharsets.UTF_8), "t").records().get(0);
    assertThat(new String(DocumentJson.body(processor.process(record)), StandardCharsets.UTF_8)).isEqualTo("{\"fields\":{"
        + "\"id\":{\"assign\":\"a\"},\"price\":{\"assign\":2.0},\"volume\":{\"assign\":\"0.10\"},\"n\":{\"assign\":3},"
        + "\"ok\":{\"assign\":false},\"tags\":{\"assign\":[]}}}");
  }

  @Test
  void badDeclarationsFailAtStartNamingTheKey() {
    assertThat(error(endpoint().put("fields", new JsonObject().put("/id", "string").put("/p", "money"))).key())
        .isEqualTo("endpoints[0].fields[\"/p\"]");
    assertThat(error(endpoint().put("fields", new JsonObject().put("/id", "string").put("/p", "money"))).getMessage())
        .contains("unknown type 'money'").contains("decimal");
    assertThat(error(endpoint().put("fields", new JsonObject().put("/id", "string").put("price", "double"))).key())
        .isEqualTo("endpoints[0].fields[\"price\"]");
    assertThat(error(endpoint().put("idField", "uuid"))).satisfies(e -> {
      assertThat(e.key()).isEqualTo("endpoints[0].idField");
      assertThat(e.getMessage()).contains("'uuid' is not one of the declared fields");
    });
    assertThat(error(endpoint().put("idField", "price")).key()).as("a double is no id").isEqualTo("endpoints[0].idField");
    assertThat(error(endpoint().putNull("idField")).key()).isEqualTo("endpoints[0].idField");
    assertThat(error(endpoint().put("recordsAt", "data")).key()).isEqualTo("endpoints[0].recordsAt");
    assertThat(error(endpoint().put("recordsAt", "/data/items")).key()).isEqualTo("endpoints[0].recordsAt");
    assertThat(error(endpoint().putNull("documentType")).key()).isEqualTo("endpoints[0].documentType");
    assertThat(error(endpoint().put("dataType", "chains")).key()).as("a built-in data type is not redeclared").isEqualTo("endpoints[0].dataType");
    assertThat(error(endpoint().put("recordClass", "ai.pintxo.weaver.codecs.api.Token")).key()).isEqualTo("endpoints[0].fields");
    assertThat(error(new JsonObject().put("endpoint", "https://x.example/a").put("dataType", "chains").put("recordsAt", "/data")).key())
        .isEqualTo("endpoints[0].recordsAt");
  }

  @Test
  void aRecordClassEndpointNeedsNoHandlerClass() {
    JsonObject json = new JsonObject().put("endpoint", "https://api.example.com/coins").put("dataType", "coins")
        .put("recordClass", "ai.pintxo.weaver.codecs.api.Token").put("documentType", "coin");
    ApiHandler<?> handler = new EndpointOptions(json, "endpoints[0]").handler();
    assertThat(handler.topic().name()).isEqualTo("coins-api-topic");
    assertThat(handler.parse("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]".getBytes(StandardCharsets.UTF_8), "t")
        .records()).singleElement().extracting(r -> ((ai.pintxo.weaver.codecs.Keyed) r).key()).isEqualTo("bitcoin");
    assertThat(error(json.copy().put("recordClass", "java.lang.String")).key()).isEqualTo("endpoints[0].recordClass");
  }
}
