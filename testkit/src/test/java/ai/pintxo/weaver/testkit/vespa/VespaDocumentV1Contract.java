package ai.pintxo.weaver.testkit.vespa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the engine connector's feeder relies on from Vespa's /document/v1, asserted against any base URL:
 * the testkit's {@link VespaEmulator} in every build, a real Vespa with {@code ops/vespa} deployed wherever a
 * Docker engine runs ({@link VespaContainerContractTest}). A case that passes on the emulator and fails on
 * Vespa is an emulator bug: the suite exists to keep the two alike.
 *
 * <p>Requests are made as the feeder makes them: the document path form-encoded part by part
 * ({@code VespaPaths}: space as {@code +}, {@code /} as {@code %2F}), {@code create=true} and
 * {@code timeout=<n>ms} on updates, gzip above a size. Each test uses ids of its own, so the suite needs no
 * cleanup between tests and can run against a long-lived Vespa.
 */
abstract class VespaDocumentV1Contract {

  static final String NAMESPACE = "pintxo";
  /** A type of ops/vespa: name (string), tvl (double), chainId (long), gecko_id, tokenSymbol, cmcId (string). */
  static final String TYPE = "chain";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** @return e.g. {@code http://127.0.0.1:8080}, without a trailing slash */
  abstract URI baseUrl();

  record Answer(int status, JsonNode body, String contentType) {

    String text(String field) {
      return body.path(field).isMissingNode() ? null : body.path(field).asText();
    }
  }

  // --- put, get, update, remove ---

  @Test
  void putStoresTheDocumentAndGetReturnsItsFields() {
    String id = unique("put");
    Answer put = send("POST", docPath(TYPE, id), "{\"fields\": {\"name\": \"Ethereum\", \"tvl\": 1.5, \"chainId\": 1}}");
    assertThat(put.status()).as("put: %s", put.body()).isEqualTo(200);
    assertThat(put.text("id")).isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    assertThat(put.text("pathId")).as("pathId is the request path").isEqualTo(docPath(TYPE, id));
    assertThat(put.contentType()).startsWith("application/json");

    Answer get = send("GET", docPath(TYPE, id), null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.text("id")).isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    assertThat(get.body().path("fields").path("name").asText()).isEqualTo("Ethereum");
    assertThat(get.body().path("fields").path("tvl").asDouble()).isEqualTo(1.5);
    assertThat(get.body().path("fields").path("chainId").asLong()).isEqualTo(1);
  }

  @Test
  void updateWithCreateMakesAMissingDocument() {
    String id = unique("upsert");
    Answer update = send("PUT", docPath(TYPE, id) + "?create=true&timeout=60000ms", assign("name", "Arbitrum", "tvl", 2.25));
    assertThat(update.status()).as("update create=true: %s", update.body()).isEqualTo(200);
    assertThat(update.text("id")).isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    Answer get = send("GET", docPath(TYPE, id), null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body().path("fields").path("name").asText()).isEqualTo("Arbitrum");
    assertThat(get.body().path("fields").path("tvl").asDouble()).isEqualTo(2.25);
  }

  @Test
  void updateAssignsTheGivenFieldsAndKeepsTheOthers() {
    String id = unique("partial");
    assertThat(send("PUT", docPath(TYPE, id) + "?create=true&timeout=60000ms", assign("name", "Base", "tvl", 1.0)).status()).isEqualTo(200);
    assertThat(send("PUT", docPath(TYPE, id) + "?create=true&timeout=60000ms", assign("tvl", 3.5)).status()).isEqualTo(200);
    JsonNode fields = send("GET", docPath(TYPE, id), null).body().path("fields");
    assertThat(fields.path("tvl").asDouble()).as("assigned again").isEqualTo(3.5);
    assertThat(fields.path("name").asText()).as("not in the second update: kept").isEqualTo("Base");
  }

  @Test
  void updateWithoutCreateOfAMissingDocumentAnswers200AndCreatesNothing() {
    String id = unique("nocreate");
    Answer update = send("PUT", docPath(TYPE, id) + "?timeout=60000ms", assign("name", "Ghost"));
    assertThat(update.status()).as("Vespa: updating a missing document is not an error").isEqualTo(200);
    assertThat(send("GET", docPath(TYPE, id), null).status()).as("but nothing was created").isEqualTo(404);
  }

  @Test
  void removeDeletesAndRemovingAMissingDocumentIsNoError() {
    String id = unique("remove");
    assertThat(send("PUT", docPath(TYPE, id) + "?create=true", assign("name", "Gone")).status()).isEqualTo(200);
    Answer remove = send("DELETE", docPath(TYPE, id), null);
    assertThat(remove.status()).isEqualTo(200);
    assertThat(remove.text("id")).isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    Answer get = send("GET", docPath(TYPE, id), null);
    assertThat(get.status()).as("removed").isEqualTo(404);
    assertThat(get.text("id")).as("a 404 of a document still names it").isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    assertThat(send("DELETE", docPath(TYPE, id), null).status()).as("removing again").isEqualTo(200);
  }

  // --- what the feeder dead-letters (4xx other than 429) ---

  @Test
  void anUnknownDocumentTypeIs400WithAMessage() {
    Answer answer = send("PUT", docPath("no_such_type", unique("type")) + "?create=true", assign("name", "x"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("message")).as("the reason, for the dead letter's weaver.dlq.error").contains("no_such_type");
  }

  @Test
  void anUndeclaredFieldIs400NamingIt() {
    Answer answer = send("PUT", docPath(TYPE, unique("field")) + "?create=true", assign("not_in_schema", "x"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("message")).contains("not_in_schema");
  }

  @Test
  void aValueOfTheWrongTypeIs400NamingTheField() {
    Answer answer = send("PUT", docPath(TYPE, unique("type-mismatch")) + "?create=true", assign("chainId", "not a number"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("message")).contains("chainId");
  }

  @Test
  void valuesAreConvertedToTheFieldTypeAsVespaReadsThem() {
    String id = unique("typed");
    Answer put = send("PUT", docPath(TYPE, id) + "?create=true", assign("chainId", "42", "name", 7, "tvl", 3));
    assertThat(put.status()).as("a number's text is a valid long, a number a valid string: %s", put.body()).isEqualTo(200);
    JsonNode fields = send("GET", docPath(TYPE, id), null).body().path("fields");
    assertThat(fields.path("chainId").isIntegralNumber()).as("long field written as \"42\": %s", fields).isTrue();
    assertThat(fields.path("chainId").asLong()).isEqualTo(42);
    assertThat(fields.path("name").isTextual()).as("string field written as 7: %s", fields).isTrue();
    assertThat(fields.path("name").asText()).isEqualTo("7");
    assertThat(fields.path("tvl").isNumber()).isTrue();
    assertThat(fields.path("tvl").asDouble()).isEqualTo(3.0);
  }

  @Test
  void aNumberWithSpacesIsNoLong() {
    Answer answer = send("PUT", docPath(TYPE, unique("spaced")) + "?create=true", assign("chainId", " 1"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("message")).contains("chainId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"fields\": {\"name\": {\"assign\": \"x\"}", "not json at all", "[1, 2]"})
  void aBodyThatIsNotADocumentIs400(String body) {
    Answer answer = send("PUT", docPath(TYPE, unique("badjson")) + "?create=true", body);
    assertThat(answer.status()).as("answer to %s: %s", body, answer.body()).isEqualTo(400);
    assertThat(answer.text("message")).as("Vespa says why").isNotBlank();
  }

  @Test
  void getOfAMissingDocumentIs404() {
    String id = unique("missing");
    Answer answer = send("GET", docPath(TYPE, id), null);
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.text("pathId")).isEqualTo(docPath(TYPE, id));
    assertThat(answer.body().has("fields")).isFalse();
  }

  // --- test-and-set (the feeder sends no conditions today; the emulator must not ignore them either) ---

  @Test
  void aConditionOnAMissingDocumentIs412UnlessTheUpdateCreatesIt() {
    String id = unique("tas-missing");
    String condition = "&condition=" + encode(TYPE + ".chainId==1");
    assertThat(send("PUT", docPath(TYPE, id) + "?timeout=60000ms" + condition, assign("name", "x")).status()).isEqualTo(412);
    assertThat(send("DELETE", docPath(TYPE, id) + "?timeout=60000ms" + condition, null).status()).isEqualTo(412);
    assertThat(send("GET", docPath(TYPE, id), null).status()).as("nothing created").isEqualTo(404);
    assertThat(send("PUT", docPath(TYPE, id) + "?create=true" + condition, assign("name", "made")).status())
        .as("create=true with a condition makes a missing document").isEqualTo(200);
    assertThat(send("GET", docPath(TYPE, id), null).body().path("fields").path("name").asText()).isEqualTo("made");
  }

  @Test
  void aConditionAppliesTheOperationOnlyWhenTheDocumentMatches() {
    String id = unique("tas");
    assertThat(send("PUT", docPath(TYPE, id) + "?create=true", assign("name", "v1", "chainId", 1)).status()).isEqualTo(200);
    Answer refused = send("PUT", docPath(TYPE, id) + "?condition=" + encode(TYPE + ".chainId==2"), assign("name", "v2"));
    assertThat(refused.status()).as("condition false: %s", refused.body()).isEqualTo(412);
    assertThat(send("GET", docPath(TYPE, id), null).body().path("fields").path("name").asText()).as("unchanged").isEqualTo("v1");
    Answer applied = send("PUT", docPath(TYPE, id) + "?condition=" + encode(TYPE + ".chainId==1"), assign("name", "v2"));
    assertThat(applied.status()).as("condition true: %s", applied.body()).isEqualTo(200);
    assertThat(send("GET", docPath(TYPE, id), null).body().path("fields").path("name").asText()).isEqualTo("v2");
  }

  // --- dryRun, gzip ---

  @Test
  void dryRunAnswers200WithoutReadingOrStoringTheBody() {
    String id = unique("dryrun");
    Answer answer = send("PUT", docPath(TYPE, id) + "?dryRun=true&create=true", "this body is never parsed");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(send("GET", docPath(TYPE, id), null).status()).as("nothing stored").isEqualTo(404);
  }

  @Test
  void dryRunOnGetIs400() {
    assertThat(send("GET", docPath(TYPE, unique("dryrun-get")) + "?dryRun=true", null).status()).isEqualTo(400);
  }

  @Test
  void gzipRequestBodiesAreUnpacked() {
    String id = unique("gzip");
    String padding = "x".repeat(2000); // above the feeder's compressAboveBytes (512), as it is sent
    Answer answer = send("PUT", docPath(TYPE, id) + "?create=true&timeout=60000ms", gzip(assign("name", "Gz", "gecko_id", padding)), true);
    assertThat(answer.status()).as("gzip update: %s", answer.body()).isEqualTo(200);
    JsonNode fields = send("GET", docPath(TYPE, id), null).body().path("fields");
    assertThat(fields.path("name").asText()).isEqualTo("Gz");
    assertThat(fields.path("gecko_id").asText()).isEqualTo(padding);
  }

  // --- document ids as the feeder encodes them ---

  @ParameterizedTest
  @ValueSource(strings = {"Uniswap V3", "a+b", "a/b/c", "why?", "tag#1", "100%", "100%25", "Ünïcödé €", "日本", "mix /?#%+ é"})
  void anyIdReachesExactlyItsOwnDocument(String raw) {
    String id = raw + " " + unique("");
    Answer put = send("PUT", docPath(TYPE, id) + "?create=true&timeout=60000ms", assign("name", id));
    assertThat(put.status()).as("update of '%s': %s", id, put.body()).isEqualTo(200);
    assertThat(put.text("id")).as("Vespa's id of '%s'", id).isEqualTo("id:" + NAMESPACE + ":" + TYPE + "::" + id);
    Answer get = send("GET", docPath(TYPE, id), null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body().path("fields").path("name").asText()).as("the document written under '%s'", id).isEqualTo(id);
  }

  @Test
  void idsThatEncodeAlikeForAClumsyEncoderStayApart() {
    String suffix = unique("");
    List<String> ids = List.of("a b" + suffix, "a+b" + suffix, "a%20b" + suffix, "a/b" + suffix, "a%2Fb" + suffix);
    for (String id : ids) {
      assertThat(send("PUT", docPath(TYPE, id) + "?create=true", assign("name", id)).status()).isEqualTo(200);
    }
    for (String id : ids) {
      assertThat(send("GET", docPath(TYPE, id), null).body().path("fields").path("name").asText()).as("'%s' is its own document", id)
          .isEqualTo(id);
    }
  }

  // --- helpers ---

  /** @return the path as the feeder's VespaPaths builds it: each part form-encoded */
  static String docPath(String type, String id) {
    return "/document/v1/" + encode(NAMESPACE) + "/" + encode(type) + "/docid/" + encode(id);
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** @return {@code {"fields": {f: {"assign": v}, …}}}, the feeder's update */
  static String assign(Object... fieldsAndValues) {
    var fields = JSON.createObjectNode();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      fields.putObject((String) fieldsAndValues[i]).set("assign", JSON.valueToTree(fieldsAndValues[i + 1]));
    }
    var root = JSON.createObjectNode();
    root.set("fields", fields);
    return root.toString();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  Answer send(String method, String pathAndQuery, String body) {
    return send(method, pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8), false);
  }

  Answer send(String method, String pathAndQuery, byte[] body, boolean gzipped) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (gzipped) {
      request.header("Content-Encoding", "gzip");
    }
    try {
      HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), json, response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
