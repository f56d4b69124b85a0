package ai.pintxo.weaver.testkit.vespa;

import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.assign;
import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.docPath;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.vespa.EmulatorHttp.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Schema validation, error bodies and routes, as Vespa's DocumentV1ApiHandler answers them. */
@ExtendWith(VertxExtension.class)
class VespaEmulatorValidationTest {

  private VespaEmulator emulator;
  private EmulatorHttp http;
  private EmulatorHttp h2;

  /** Each test gets its own Vert.x instance from the extension, which closes it after the test. */
  @BeforeEach
  void startEmulator(Vertx vertx) {
    emulator = VespaEmulator.start(vertx, new VespaEmulatorOptions()).await();
    http = new EmulatorHttp(vertx, emulator.port(), HttpVersion.HTTP_1_1);
    h2 = new EmulatorHttp(vertx, emulator.port(), HttpVersion.HTTP_2);
  }

  @AfterEach
  void stopEmulator() {
    http.close();
    h2.close();
    emulator.close().await();
  }

  private EmulatorHttp client(HttpVersion version) {
    return version == HttpVersion.HTTP_2 ? h2 : http;
  }

  private static void assertRequestError(Response response, int status, String path, String message) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
    assertThat(response.json()).as("a request-level error carries pathId and message, and no id")
        .isEqualTo(new JsonObject().put("pathId", path).put("message", message));
  }

  @Test
  void unknownFieldIsRejected() {
    String path = docPath("tokens", "btc");

    Response update = http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("name", "Bitcoin", "x", 1)));
    assertRequestError(update, 400, path, "Field 'x' is not defined in document type 'tokens'");

    Response put = http.send(HttpMethod.POST, path, "{\"fields\":{\"x\":\"y\"}}");
    assertRequestError(put, 400, path, "Field 'x' is not defined in document type 'tokens'");

    assertThat(emulator.document("tokens", "btc")).as("a rejected operation must not store anything").isEmpty();
  }

  @Test
  void wrongValueTypeIsRejectedWithVespasMessage() {
    String path = docPath("protocol", "Aave");

    Response put = http.send(HttpMethod.POST, path, "{\"fields\":{\"name\":\"Aave\",\"tvl\":\"abc\"}}");
    assertThat(put.status()).isEqualTo(400);
    assertThat(put.json().containsKey("id")).as("a parse failure has no id").isFalse();
    assertThat(put.message()).as("the message names document, field and type")
        .startsWith("In document 'id:pintxo:protocol::Aave': Could not parse field 'tvl' of type double")
        .contains("abc");

    Response update = http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("tvl", "abc")));
    assertThat(update.status()).isEqualTo(400);
    assertThat(update.message()).startsWith("In document 'id:pintxo:protocol::Aave': Could not parse field 'tvl' of type double");

    Response array = http.send(HttpMethod.POST, path, "{\"fields\":{\"chains\":\"Ethereum\"}}");
    assertThat(array.status()).as("a string is not an array<string>").isEqualTo(400);
    assertThat(array.message()).startsWith("In document 'id:pintxo:protocol::Aave': Could not parse field 'chains' of type array<string>");

    Response map = http.send(HttpMethod.POST, path, "{\"fields\":{\"chainTvls\":{\"Ethereum\":\"lots\"}}}");
    assertThat(map.status()).as("map values must be doubles").isEqualTo(400);
    assertThat(map.message()).startsWith("In document 'id:pintxo:protocol::Aave': Could not parse field 'chainTvls' of type map<string,double>");

    assertThat(emulator.document("protocol", "Aave")).isEmpty();
  }

  @Test
  void numericStringIsAcceptedForADouble() {
    String path = docPath("protocol", "Lenient");

    Response put = http.send(HttpMethod.POST, path, "{\"fields\":{\"name\":\"Lenient\",\"tvl\":\"42\"}}");
    assertThat(put.status()).as("Vespa reads scalars from their text: \"42\" is a valid double").isEqualTo(200);
    assertThat(emulator.document("protocol", "Lenient").orElseThrow().getValue("tvl")).as("kept as the double Vespa makes of it")
        .isEqualTo(42.0);

    Response update = http.send(HttpMethod.PUT, path, assign(Map.of("tvl", "42.5", "name", 7)));
    assertThat(update.status()).as("a numeric string for a double and a number for a string are accepted").isEqualTo(200);
  }

  @Test
  void unknownDocumentTypeIsRejected() {
    String path = "/document/v1/pintxo/house/docid/x";
    assertRequestError(http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("a", "b"))), 400, path,
        "Document type house does not exist");
    assertRequestError(http.get(path), 400, path, "Document type house does not exist");
  }

  @Test
  void invalidJsonIsRejected() {
    String path = docPath("tokens", "broken");

    Response response = http.send(HttpMethod.PUT, path, "{\"fields\": {\"name\": ");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).startsWith("failed parsing document:");

    Response notAnObject = http.send(HttpMethod.POST, path, "[1,2]");
    assertThat(notAnObject.status()).isEqualTo(400);
    assertThat(notAnObject.message()).startsWith("failed parsing document:");
  }

  @Test
  void operationWithoutFieldsIsRejected() {
    String path = docPath("tokens", "nofields");
    assertRequestError(http.send(HttpMethod.PUT, path, "{\"id\":\"id:pintxo:tokens::nofields\"}"), 400, path,
        "Update of document id:pintxo:tokens::nofields is missing a 'fields' map");
    assertRequestError(http.send(HttpMethod.POST, path, "{\"put\":\"id:pintxo:tokens::nofields\"}"), 400, path,
        "put of document id:pintxo:tokens::nofields is missing a 'fields' map");
  }

  @Test
  void ignoreUndefinedFieldsDropsThemAndSaysSo(Vertx vertx) {
    VespaEmulator lenient = VespaEmulator.start(vertx, new VespaEmulatorOptions().setIgnoreUndefinedFields(true)).await();
    try (EmulatorHttp client = new EmulatorHttp(vertx, lenient.port(), HttpVersion.HTTP_1_1)) {
      String path = docPath("tokens", "btc");

      Response update = client.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("name", "Bitcoin", "x", 1)));
      assertThat(update.status()).as("unknown fields are dropped, not rejected").isEqualTo(200);
      assertThat(update.header("X-Vespa-Ignored-Fields")).as("the response says fields were ignored").isEqualTo("true");
      assertThat(lenient.document("tokens", "btc")).contains(new JsonObject().put("name", "Bitcoin"));

      Response put = client.send(HttpMethod.POST, path, "{\"fields\":{\"name\":\"B\",\"y\":2}}");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.header("X-Vespa-Ignored-Fields")).isEqualTo("true");
      assertThat(lenient.document("tokens", "btc")).contains(new JsonObject().put("name", "B"));

      Response clean = client.send(HttpMethod.PUT, path, assign(Map.of("symbol", "btc")));
      assertThat(clean.status()).isEqualTo(200);
      assertThat(clean.header("X-Vespa-Ignored-Fields")).as("no header when nothing was ignored").isNull();
    } finally {
      lenient.close().await();
    }
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void unknownPathIs404(HttpVersion version) {
    Response root = client(version).get("/nothing/here");
    assertThat(root.status()).isEqualTo(404);
    assertThat(root.json().getString("pathId")).isEqualTo("/nothing/here");
    assertThat(root.message()).startsWith("Nothing at '/nothing/here'");

    Response wrongKind = client(version).get("/document/v1/pintxo/tokens/byid/x");
    assertThat(wrongKind.status()).as("only docid, group and number are id kinds").isEqualTo(404);
    assertThat(wrongKind.message()).startsWith("Nothing at");
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void unsupportedMethodIs405(HttpVersion version) {
    String path = docPath("tokens", "btc");
    Response patch = client(version).send(HttpMethod.PATCH, path, assign(Map.of("name", "x")));
    assertRequestError(patch, 405, path, "'PATCH' not allowed at '" + path + "'. Allowed methods are: GET, POST, PUT, DELETE");
    assertThat(emulator.document("tokens", "btc")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void optionsListsTheMethods(HttpVersion version) {
    Response options = client(version).send(HttpMethod.OPTIONS, docPath("tokens", "btc"), (String) null);
    assertThat(options.status()).isEqualTo(204);
    assertThat(options.header("Allow")).isEqualTo("GET,POST,PUT,DELETE");
    assertThat(options.body().length()).as("204 has no body").isZero();
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void emptyQueryParameterIsRejected(HttpVersion version) {
    String path = docPath("tokens", "btc");
    assertRequestError(client(version).send(HttpMethod.PUT, path + "?create=", assign(Map.of("name", "x"))), 400, path,
        "Expected non-empty value for request property 'create'");
    assertThat(emulator.document("tokens", "btc")).isEmpty();
  }

  @Test
  void invalidTimeoutIsRejected() {
    String path = docPath("tokens", "btc");
    Response response = http.send(HttpMethod.PUT, path + "?timeout=soon", assign(Map.of("name", "x")));
    assertRequestError(response, 400, path, "Invalid duration 'soon' for request property 'timeout'");
  }

  @Test
  void lastRepeatedParameterWins() {
    String path = docPath("tokens", "repeat");
    assertThat(http.send(HttpMethod.PUT, path + "?create=false&create=true", assign(Map.of("name", "x"))).status()).isEqualTo(200);
    assertThat(emulator.document("tokens", "repeat")).as("the last 'create' (true) applies").isPresent();
  }

  @Test
  void createInTheQueryWinsOverCreateInTheBody() {
    String path = docPath("tokens", "precedence");
    Response response = http.send(HttpMethod.PUT, path + "?create=false",
        "{\"create\":true,\"fields\":{\"name\":{\"assign\":\"x\"}}}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(emulator.document("tokens", "precedence")).as("create=false in the query overrides the body's create").isEmpty();

    http.send(HttpMethod.PUT, path, "{\"create\":true,\"fields\":{\"name\":{\"assign\":\"x\"}}}");
    assertThat(emulator.document("tokens", "precedence")).as("without a query parameter the body's create applies")
        .contains(new JsonObject().put("name", "x"));
  }
}
