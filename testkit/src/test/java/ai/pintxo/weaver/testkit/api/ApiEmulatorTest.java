package ai.pintxo.weaver.testkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.testkit.vespa.VespaSchemas;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Generated API payloads and the HTTP server that serves them on the real endpoints' paths. */
@ExtendWith(VertxExtension.class)
class ApiEmulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> SIZES = Map.of("tokens", 40, "protocols", 30, "chains", 12, "bridges", 9,
      "stablecoins", 20, "pools", 60);

  private static WebClient client;
  private static ApiEmulator emulator;

  /** JSON equality where 1600000000 (int) equals 1600000000 (long) and 2.0E9. */
  private static final java.util.Comparator<JsonNode> NUMERIC = (a, b) ->
      a.isNumber() && b.isNumber() ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1;

  private static void assertSameJson(JsonNode actual, JsonNode expected, String what) {
    assertThat(actual.size()).as("%s: number of items", what).isEqualTo(expected.size());
    assertThat(actual.equals(NUMERIC, expected)).as("%s: same JSON as generated", what).isTrue();
  }

  /** What the emulator answered to a GET. */
  private record Reply(int status, String contentType, Buffer body) {
  }

  /** The extension provides the Vert.x instance and closes it after the class. */
  @BeforeAll
  static void start(Vertx vertx) {
    client = WebClient.create(vertx);
    emulator = ApiEmulator.start(vertx, new ApiPayloads(7, SIZES), 0).await();
  }

  @AfterAll
  static void stop() {
    client.close();
    emulator.close().await();
  }

  @BeforeEach
  void normal() {
    emulator.payloads().dataTypes().forEach(t -> emulator.behave(t, ApiBehaviour.NORMAL));
  }

  private static Reply get(String url) throws Exception {
    HttpResponse<Buffer> response = client.getAbs(url).send().await(30, TimeUnit.SECONDS);
    return new Reply(response.statusCode(), response.getHeader("Content-Type"), response.body());
  }

  @Test
  void sameSeedGivesTheSameBytes() {
    ApiPayloads one = new ApiPayloads(42, SIZES);
    ApiPayloads two = new ApiPayloads(42, SIZES);
    ApiPayloads other = new ApiPayloads(43, SIZES);
    for (String type : one.dataTypes()) {
      assertThat(one.responseBytes(type)).as("%s from the same seed", type).isEqualTo(two.responseBytes(type));
      assertThat(one.responseBytes(type)).as("%s is generated afresh on every call, identically", type).isEqualTo(one.responseBytes(type));
      assertThat(one.responseBytes(type)).as("%s from another seed differs", type).isNotEqualTo(other.responseBytes(type));
    }
  }

  @Test
  void itemsMatchTheConfiguredSizes() {
    ApiPayloads payloads = new ApiPayloads(1, Map.of("pools", 123));
    assertThat(payloads.dataTypes()).containsExactly("tokens", "protocols", "chains", "bridges", "stablecoins", "pools",
        "volumes", "daily_fees", "daily_revenue", "new_pools_zksync");
    assertThat(payloads.items("pools")).hasSize(123).hasSize(payloads.size("pools"));
    assertThat(payloads.size("tokens")).as("unset sizes default to the real API's").isEqualTo(ApiPayloads.REAL_SIZES.get("tokens"));
    ApiPayloads scaled = ApiPayloads.scaled(1, 0.001);
    assertThat(scaled.size("bridges")).as("scaling keeps at least one item").isEqualTo(1);
    assertThat(scaled.items("stablecoins")).hasSize(scaled.size("stablecoins"));
    assertThatThrownBy(() -> payloads.response("nfts")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyPoolHasTheFieldsTheWeaverKeeps() {
    ApiPayloads payloads = new ApiPayloads(3, Map.of("pools", 300));
    var kept = VespaSchemas.fromClasspath().describe("pool").keySet();
    assertThat(kept).hasSize(20);
    for (ObjectNode pool : payloads.items("pools")) {
      assertThat(pool.fieldNames()).toIterable().as("pool %s carries every kept field", pool.get("pool")).containsAll(kept);
      assertThat(pool.get("pool").asText()).as("the pool id is a UUID").matches("[0-9a-f-]{36}");
    }
    assertThat(payloads.items("pools").stream().map(p -> p.get("pool").asText()).distinct().count())
        .as("pool ids are unique").isEqualTo(300);
    assertThat(payloads.response("pools").get("status").asText()).isEqualTo("success");
  }

  @Test
  void someNamesNeedUrlEncoding() {
    List<String> names = new ApiPayloads(1, Map.of("protocols", 100)).items("protocols").stream().map(p -> p.get("name").asText()).toList();
    assertThat(names).as("tricky names are generated").anyMatch(n -> n.contains("/")).anyMatch(n -> n.contains("?"))
        .anyMatch(n -> n.contains("#")).anyMatch(n -> n.contains("%")).anyMatch(n -> n.contains(" "))
        .anyMatch(n -> !n.chars().allMatch(c -> c < 128));
  }

  @Test
  void realEndpointUrlServesTheGeneratedPayload() throws Exception {
    String url = emulator.url("https://api.llama.fi/protocols");
    assertThat(url).isEqualTo("http://127.0.0.1:" + emulator.port() + "/api.llama.fi/protocols");
    long before = emulator.requests("protocols");

    Reply reply = get(url);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertSameJson(JSON.readTree(reply.body().getBytes()), emulator.payloads().response("protocols"), "served protocols");
    assertThat(emulator.requests("protocols")).as("the request is counted").isEqualTo(before + 1);
  }

  @Test
  void coinListHasPlatformsOnlyWhenAskedFor() throws Exception {
    JsonNode plain = JSON.readTree(get(emulator.url("https://api.coingecko.com/api/v3/coins/list")).body().getBytes());
    JsonNode withPlatforms = JSON.readTree(get(emulator.url("https://api.coingecko.com/api/v3/coins/list?include_platform=true")).body().getBytes());

    assertThat(plain).hasSize(40);
    plain.forEach(t -> assertThat(t.has("platforms")).as("no platforms without include_platform").isFalse());
    assertSameJson(withPlatforms, emulator.payloads().response("tokens"), "coin list with include_platform");
    withPlatforms.forEach(t -> assertThat(t.get("platforms").isObject()).isTrue());
  }

  @Test
  void unknownEndpointIs404() throws Exception {
    Reply reply = get(emulator.url("https://api.llama.fi/nothing"));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().toString()).contains("api.llama.fi/nothing");
  }

  @Test
  void htmlBehaviourServesAnHtmlPage() throws Exception {
    emulator.behave("chains", ApiBehaviour.HTML);
    Reply reply = get(emulator.url("https://api.llama.fi/v2/chains"));
    assertThat(reply.status()).as("a CDN error page comes with 200").isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/html");
    assertThat(reply.body().toString()).startsWith("<!DOCTYPE html>");
    assertThatThrownBy(() -> JSON.readTree(reply.body().getBytes())).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void truncatedJsonBehaviourServesHalfThePayload() throws Exception {
    emulator.behave("bridges", ApiBehaviour.TRUNCATED_JSON);
    byte[] full = emulator.payloads().responseBytes("bridges");

    Reply reply = get(emulator.url("https://bridges.llama.fi/bridges?includeChains=true"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().getBytes()).as("the first half of the real payload").hasSize(full.length / 2)
        .isEqualTo(java.util.Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> JSON.readTree(reply.body().getBytes())).as("a truncated body is not valid JSON")
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void serverErrorBehaviourAnswers500() throws Exception {
    emulator.behave("stablecoins", ApiBehaviour.SERVER_ERROR);
    Reply reply = get(emulator.url("https://stablecoins.llama.fi/stablecoins?includePrices=true"));
    assertThat(reply.status()).isEqualTo(500);
    assertThat(JSON.readTree(reply.body().getBytes()).get("message").asText()).isEqualTo("Internal server error");
  }

  @Test
  void wrongFieldTypeBehaviourBreaksTheFirstItemOnly() throws Exception {
    emulator.behave("pools", ApiBehaviour.WRONG_FIELD_TYPE).behave("protocols", ApiBehaviour.WRONG_FIELD_TYPE);

    JsonNode pools = JSON.readTree(get(emulator.url("https://yields.llama.fi/pools")).body().getBytes()).get("data");
    List<ObjectNode> generated = emulator.payloads().items("pools");
    assertThat(pools.get(0).get("tvlUsd").isTextual()).as("the first pool's tvlUsd is a string").isTrue();
    assertThat(pools.get(0).get("tvlUsd").asText()).isEqualTo("n/a");
    assertThat(pools).hasSize(generated.size());
    for (int i = 1; i < generated.size(); i++) {
      assertThat(pools.get(i).equals(NUMERIC, generated.get(i))).as("pool %d is unchanged", i).isTrue();
    }

    JsonNode protocols = JSON.readTree(get(emulator.url("https://api.llama.fi/protocols")).body().getBytes());
    assertThat(protocols.get(0).get("tvl").asText()).as("the first protocol's tvl is text").isEqualTo("1.5B");
    assertThat(protocols.get(1).get("tvl").isNumber()).isTrue();
  }
}
