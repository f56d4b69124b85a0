package ai.pintxo.weaver.testkit.vespa;

import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.assign;
import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.docPath;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.vespa.EmulatorHttp.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Document operations over real HTTP/1.1 and h2c (prior knowledge): create, read, replace, update, remove, ids, gzip, handshake. */
@ExtendWith(VertxExtension.class)
class VespaEmulatorDocumentTest {

  private Vertx vertx;
  private VespaEmulator emulator;
  private final Map<HttpVersion, EmulatorHttp> clients = new LinkedHashMap<>();

  /** Each test gets its own Vert.x instance from the extension, which closes it after the test. */
  @BeforeEach
  void startEmulator(Vertx vertx) {
    this.vertx = vertx;
    emulator = VespaEmulator.start(vertx, new VespaEmulatorOptions()).await();
  }

  @AfterEach
  void stopEmulator() {
    clients.values().forEach(EmulatorHttp::close);
    emulator.close().await();
  }

  private EmulatorHttp http(HttpVersion version) {
    return clients.computeIfAbsent(version, v -> new EmulatorHttp(vertx, emulator.port(), v));
  }

  private static void assertProtocol(Response response, HttpVersion version) {
    assertThat(response.version()).as("the exchange should use the protocol the client asked for").isEqualTo(version);
  }

  @org.junit.jupiter.api.Test
  void eachAcceptedWriteIsTimestampedBeforeItsAnswer() {
    EmulatorHttp http = http(HttpVersion.HTTP_2);
    long before = System.currentTimeMillis();
    Response put = http.send(HttpMethod.PUT, docPath("tokens", "bitcoin") + "?create=true",
        assign(Map.of("id", "bitcoin", "symbol", "btc", "name", "Bitcoin")));
    long answered = System.currentTimeMillis();
    assertThat(put.status()).isEqualTo(200);
    assertThat(emulator.writtenAt("tokens")).containsOnlyKeys("bitcoin");
    assertThat(emulator.writtenAt("tokens").get("bitcoin")).as("taken between sending and the answer").isBetween(before, answered);
    Response stats = http.get("/emulator/written/tokens");
    assertThat(stats.json().getLong("bitcoin")).isEqualTo(emulator.writtenAt("tokens").get("bitcoin"));
    emulator.reset();
    assertThat(emulator.writtenAt("tokens")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void updateWithCreateMakesTheDocumentAndGetReturnsIt(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = docPath("tokens", "bitcoin");

    Response put = http.send(HttpMethod.PUT, path + "?create=true&timeout=5000ms",
        assign(Map.of("id", "bitcoin", "symbol", "btc", "name", "Bitcoin")));

    assertProtocol(put, version);
    assertThat(put.status()).as("upsert should succeed").isEqualTo(200);
    assertThat(put.json()).as("an update answers pathId and id only")
        .isEqualTo(new JsonObject().put("pathId", "/document/v1/pintxo/tokens/docid/bitcoin").put("id", "id:pintxo:tokens::bitcoin"));
    assertThat(put.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");

    Response get = http.get(path);
    assertProtocol(get, version);
    assertThat(get.status()).as("the created document should be found").isEqualTo(200);
    assertThat(get.header("Content-Type")).as("responses are JSON in UTF-8").isEqualTo("application/json; charset=UTF-8");
    assertThat(get.json().fieldNames()).as("GET answers pathId, id and fields, in that order")
        .containsExactly("pathId", "id", "fields");
    assertThat(get.json()).as("GET should return exactly the assigned fields").isEqualTo(new JsonObject()
        .put("pathId", "/document/v1/pintxo/tokens/docid/bitcoin")
        .put("id", "id:pintxo:tokens::bitcoin")
        .put("fields", new JsonObject().put("id", "bitcoin").put("symbol", "btc").put("name", "Bitcoin")));
    assertThat(emulator.document("tokens", "bitcoin")).as("the stored document holds the fields")
        .contains(new JsonObject().put("id", "bitcoin").put("symbol", "btc").put("name", "Bitcoin"));
    assertThat(emulator.count("tokens")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void updateOfAMissingDocumentWithoutCreateSucceedsButStoresNothing(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = docPath("tokens", "ghost");

    Response put = http.send(HttpMethod.PUT, path, assign(Map.of("name", "Ghost")));

    assertThat(put.status()).as("Vespa answers 200 to an update of a missing document").isEqualTo(200);
    assertThat(put.json().getString("id")).isEqualTo("id:pintxo:tokens::ghost");
    assertThat(emulator.document("tokens", "ghost")).as("an update without create must not create the document").isEmpty();
    assertThat(emulator.count("tokens")).isZero();
    assertThat(http.get(path).status()).as("the document still does not exist").isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void deleteRemovesTheDocumentAndGetThenAnswers404WithoutMessage(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = docPath("tokens", "eth");
    assertThat(http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("name", "Ether"))).status()).isEqualTo(200);
    assertThat(emulator.document("tokens", "eth")).isPresent();

    Response delete = http.send(HttpMethod.DELETE, path, (String) null);
    assertProtocol(delete, version);
    assertThat(delete.status()).as("remove should succeed").isEqualTo(200);
    assertThat(delete.json()).isEqualTo(new JsonObject().put("pathId", path).put("id", "id:pintxo:tokens::eth"));
    assertThat(emulator.document("tokens", "eth")).as("the document should be gone").isEmpty();

    Response get = http.get(path);
    assertThat(get.status()).as("GET of a removed document is 404").isEqualTo(404);
    assertThat(get.json()).as("a 404 for a missing document carries pathId and id and no message")
        .isEqualTo(new JsonObject().put("pathId", path).put("id", "id:pintxo:tokens::eth"));

    assertThat(http.send(HttpMethod.DELETE, path, (String) null).status())
        .as("removing a missing document also succeeds").isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void idsThatNeedEncodingAreDecodedLikeUrlDecoder(HttpVersion version) {
    EmulatorHttp http = http(version);
    List<String> ids = List.of("Uniswap V3", "Curve/Convex", "What?Swap", "Pool #1", "100% Yield", "Ünïswap 東京", "a+b",
        "a b/c?d#e%f+g");
    for (String id : ids) {
      String path = docPath("tokens", id);
      Response put = http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("name", id)));
      assertThat(put.status()).as("upsert of '%s' at %s", id, path).isEqualTo(200);
      assertThat(put.json().getString("id")).as("the document id of '%s' holds the decoded id", id)
          .isEqualTo("id:pintxo:tokens::" + id);
      assertThat(put.json().getString("pathId")).as("pathId is the raw path as sent").isEqualTo(path);

      assertThat(emulator.document("tokens", id)).as("'%s' should be stored under its decoded id", id)
          .contains(new JsonObject().put("name", id));
      Response get = http.get(path);
      assertThat(get.status()).as("GET of '%s'", id).isEqualTo(200);
      assertThat(get.json().getString("id")).isEqualTo("id:pintxo:tokens::" + id);
    }
    assertThat(emulator.ids("tokens")).as("one document per id, under the decoded ids").containsExactlyInAnyOrderElementsOf(ids);
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void spaceSentAsPlusAndSlashSentAsPercent2F(HttpVersion version) {
    EmulatorHttp http = http(version);
    assertThat(http.send(HttpMethod.PUT, "/document/v1/pintxo/tokens/docid/Uniswap+V3?create=true",
        assign(Map.of("name", "u"))).status()).isEqualTo(200);
    assertThat(http.send(HttpMethod.PUT, "/document/v1/pintxo/tokens/docid/Curve%2FConvex?create=true",
        assign(Map.of("name", "c"))).status()).isEqualTo(200);

    assertThat(emulator.document("tokens", "Uniswap V3")).as("'+' decodes to a space").isPresent();
    assertThat(emulator.document("tokens", "Curve/Convex")).as("'%2F' decodes to '/'").isPresent();
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void rawSlashesInThePathBecomePartOfTheId(HttpVersion version) {
    EmulatorHttp http = http(version);
    Response put = http.send(HttpMethod.PUT, "/document/v1/pintxo/tokens/docid/one/two?create=true", assign(Map.of("name", "x")));

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().getString("id")).as("the remaining segments are joined with '/'").isEqualTo("id:pintxo:tokens::one/two");
    assertThat(emulator.document("tokens", "one/two")).contains(new JsonObject().put("name", "x"));
    assertThat(http.get("/document/v1/pintxo/tokens/docid/one%2Ftwo").json().getString("id"))
        .as("raw and encoded slash name the same document").isEqualTo("id:pintxo:tokens::one/two");
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void putReplacesTheWholeDocument(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = docPath("protocol", "Uniswap V3");
    http.send(HttpMethod.PUT, path + "?create=true", assign(Map.of("name", "Uniswap V3", "symbol", "UNI", "tvl", 1.5e9)));
    assertThat(emulator.document("protocol", "Uniswap V3").orElseThrow().fieldNames()).containsExactlyInAnyOrder("name", "symbol", "tvl");

    Response put = http.send(HttpMethod.POST, path, new JsonObject().put("fields",
        new JsonObject().put("name", "Uniswap V3").put("chains", new JsonArray().add("Ethereum").add("Base"))));

    assertProtocol(put, version);
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json()).isEqualTo(new JsonObject().put("pathId", path).put("id", "id:pintxo:protocol::Uniswap V3"));
    assertThat(emulator.document("protocol", "Uniswap V3")).as("a put replaces the document: symbol and tvl are gone")
        .contains(new JsonObject().put("name", "Uniswap V3").put("chains", new JsonArray().add("Ethereum").add("Base")));
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void assignNullClearsAFieldAndIncrementAddsToIt(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = docPath("protocol", "Aave");
    http.send(HttpMethod.POST, path, new JsonObject().put("fields",
        new JsonObject().put("name", "Aave").put("symbol", "AAVE").put("tvl", 10.5).put("mcap", 100)));

    Response clear = http.send(HttpMethod.PUT, path, "{\"fields\":{\"symbol\":{\"assign\":null}}}");
    assertThat(clear.status()).isEqualTo(200);
    assertThat(emulator.document("protocol", "Aave").orElseThrow().containsKey("symbol"))
        .as("assign null should clear the field").isFalse();

    Response inc = http.send(HttpMethod.PUT, path, "{\"fields\":{\"tvl\":{\"increment\":2}}}");
    assertThat(inc.status()).isEqualTo(200);
    JsonObject doc = emulator.document("protocol", "Aave").orElseThrow();
    assertThat(doc.getDouble("tvl")).as("10.5 incremented by 2").isEqualTo(12.5);
    assertThat(doc.getInteger("mcap")).as("fields not in the update keep their value").isEqualTo(100);

    http.send(HttpMethod.PUT, path, "{\"fields\":{\"mcap\":{\"increment\":5},\"tvl\":{\"multiply\":2}}}");
    doc = emulator.document("protocol", "Aave").orElseThrow();
    assertThat(doc.getDouble("mcap")).as("100 incremented by 5").isEqualTo(105.0);
    assertThat(doc.getDouble("tvl")).as("12.5 multiplied by 2").isEqualTo(25.0);
    assertThat(doc.getString("name")).as("untouched fields keep their value").isEqualTo("Aave");
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void gzippedBodyIsUnpacked(HttpVersion version) throws IOException {
    EmulatorHttp http = http(version);
    StringBuilder description = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      description.append("long description that makes the body larger than 512 bytes ");
    }
    byte[] json = assign(Map.of("name", "Zipped", "description", description.toString())).encode().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(json);
    }
    assertThat(zipped.size()).as("the body really is compressed").isLessThan(json.length);

    Response put = http.send(HttpMethod.PUT, docPath("protocol", "Zipped") + "?create=true", Buffer.buffer(zipped.toByteArray()),
        Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));

    assertProtocol(put, version);
    assertThat(put.status()).as("a gzipped body should be accepted: %s", put.body()).isEqualTo(200);
    assertThat(emulator.document("protocol", "Zipped"))
        .contains(new JsonObject().put("name", "Zipped").put("description", description.toString()));
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void feedClientHandshakeIsAnsweredWithoutABody(HttpVersion version) {
    EmulatorHttp http = http(version);
    String path = "/document/v1/feeder/handshake/docid/dummy";

    Response handshake = http.send(HttpMethod.POST, path + "?dryRun=true&timeout=30000ms", null, Map.of());

    assertProtocol(handshake, version);
    assertThat(handshake.status()).as("the handshake must get 200 or the feed client throws").isEqualTo(200);
    assertThat(handshake.json()).isEqualTo(new JsonObject().put("pathId", path).put("id", "id:feeder:handshake::dummy"));
    assertThat(emulator.counts()).as("a dry run stores nothing").isEmpty();
    assertThat(emulator.operationsApplied()).isZero();

    Response get = http.get(path + "?dryRun=true");
    assertThat(get.status()).as("dryRun is not allowed on GET").isEqualTo(400);
    assertThat(get.json()).isEqualTo(new JsonObject().put("pathId", path).put("message", "May not specify 'dryRun' at '" + path + "'"));
  }
}
