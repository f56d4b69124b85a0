package ai.pintxo.weaver.codecs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every payload record survives its topic's JSON encoding and the Kafka serializer/deserializer unchanged. */
class RecordRoundTripTest {

  static final Token TOKEN = new Token("1move token", "1mt", "1Move Token", Map.of("binance-smart-chain", "0x7c56d81e"));
  static final Protocol PROTOCOL = new Protocol("100", "Uniswap V3", "0xabc", "UNI", "https://uniswap.org", "A DEX", "Ethereum",
      "uniswap", "7083", "Dexs", List.of("Ethereum", "Base"), "Uniswap", 1.5e9, ordered("Ethereum", 1.0e9, "Base", 5.0e8),
      0.25, -1.5, 3.75, 4.2e9);
  static final Chain CHAIN = new Chain("ethereum", 5.5e10, "ETH", "1027", "Ethereum", 1L);
  static final Bridge BRIDGE = new Bridge(7L, "polygon", "Polygon PoS Bridge", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0,
      List.of("Ethereum", "Polygon"));
  static final Stablecoin STABLECOIN = new Stablecoin("1", "Tether", "USDT", "tether", "peggedUSD", "defillama", "fiat-backed",
      PeggedAmounts.of(Map.of("peggedUSD", 1.2767e11)), PeggedAmounts.of(Map.of("peggedUSD", 1.27e11)), PeggedAmounts.ZERO,
      PeggedAmounts.of(ordered("peggedUSD", 1.19e11, "peggedEUR", 2.5)),
      Map.of("Ethereum", new Stablecoin.ChainCirculation(PeggedAmounts.of(Map.of("peggedUSD", 6.0e10)),
          PeggedAmounts.of(Map.of("peggedUSD", 5.9e10)), PeggedAmounts.ZERO, PeggedAmounts.of(Map.of("peggedUSD", 5.0e10)))),
      List.of("Ethereum", "Tron"), 1.001);
  static final Pool POOL = new Pool("Ethereum", "uniswap-v3", "WETH-USDC", 1.2e8, 3.5, null, 3.5, null,
      "747c1d2a-c668-4682-b9f9-296708a3dd90", 0.1, -0.2, 0.3, false, "yes", "multi", List.of("0xa", "0xb"), 3.1, 2.9, 1.0e7, 7.0e7);

  private static Map<String, Double> ordered(String k1, double v1, String k2, double v2) {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(Token.TOPIC, TOKEN, "tokens-api-topic", "1move token"),
        Arguments.of(Protocol.TOPIC, PROTOCOL, "protocols-api-topic", "Uniswap V3"),
        Arguments.of(Chain.TOPIC, CHAIN, "chains-api-topic", "Ethereum"),
        Arguments.of(Bridge.TOPIC, BRIDGE, "bridges-api-topic", "7"),
        Arguments.of(Stablecoin.TOPIC, STABLECOIN, "stablecoins-api-topic", "1"),
        Arguments.of(Pool.TOPIC, POOL, "pools-api-topic", "747c1d2a-c668-4682-b9f9-296708a3dd90"));
  }

  @ParameterizedTest
  @MethodSource("records")
  <T> void topicEncodingRoundTrips(Topic<T> topic, T value, String name, String key) {
    byte[] bytes = topic.encode(value);
    T decoded = topic.decode(bytes, 0, 17L);

    assertThat(decoded).as("%s decodes to an equal record", topic).isEqualTo(value);
    assertThat(topic.encode(decoded)).as("re-encoding gives the same bytes").isEqualTo(bytes);
    assertThat(topic.name()).isEqualTo(name);
    assertThat(topic.deadLetterTopic()).isEqualTo(name + ".dlq");
    assertThat(((ai.pintxo.weaver.codecs.Keyed) value).key()).as("the Kafka key is the document id").isEqualTo(key);
  }

  @ParameterizedTest
  @MethodSource("records")
  <T> void kafkaSerdeRoundTrips(Topic<T> topic, T value, String name, String key) {
    byte[] bytes;
    try (var serializer = topic.serializer(); var deserializer = topic.deserializer()) {
      bytes = serializer.serialize(name, value);
      assertThat(bytes).as("the serializer writes what Topic.encode writes").isEqualTo(topic.encode(value));
      assertThat(deserializer.deserialize(name, bytes)).as("the deserializer reads it back").isEqualTo(value);
      assertThat(serializer.serialize(name, null)).as("null stays null (tombstone)").isNull();
      assertThat(deserializer.deserialize(name, null)).isNull();
    }
  }

  @Test
  void jsonUsesTheSourceFieldNames() throws IOException {
    JsonNode protocol = Json.mapper().readTree(Protocol.TOPIC.encode(PROTOCOL));
    assertThat(protocol.fieldNames()).toIterable().as("original names, in record order").containsExactly(
        "id", "name", "address", "symbol", "url", "description", "chain", "gecko_id", "cmcId", "category", "chains", "twitter",
        "tvl", "chainTvls", "change_1h", "change_1d", "change_7d", "mcap");
    assertThat(protocol.get("change_1h").asDouble()).isEqualTo(0.25);
    assertThat(protocol.get("chainTvls").fieldNames()).toIterable().as("map order is kept").containsExactly("Ethereum", "Base");

    assertThat(Json.mapper().readTree(Chain.TOPIC.encode(CHAIN)).has("gecko_id")).isTrue();
    assertThat(Json.mapper().readTree(Stablecoin.TOPIC.encode(STABLECOIN)).get("gecko_id").asText()).isEqualTo("tether");
  }

  @Test
  void nullFieldsAreLeftOut() {
    Chain obscure = new Chain(null, null, null, null, "Obscure", null);
    assertThat(new String(Chain.TOPIC.encode(obscure), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Obscure\"}");
    assertThat(Chain.TOPIC.decode("{\"name\":\"Obscure\",\"gecko_id\":null,\"tvl\":null}".getBytes(StandardCharsets.UTF_8), 0, 0))
        .as("explicit nulls read as absent").isEqualTo(obscure);
    assertThat(new String(Pool.TOPIC.encode(POOL), StandardCharsets.UTF_8)).doesNotContain("apyReward").doesNotContain("rewardTokens");
  }

  @Test
  void bareZeroPeggedAmountsAreWrittenBackAsZero() throws IOException {
    String json = new String(Stablecoin.TOPIC.encode(STABLECOIN), StandardCharsets.UTF_8);
    assertThat(json).as("a bare zero is written as 0").contains("\"circulatingPrevWeek\":0,")
        .contains("\"circulatingPrevMonth\":{\"peggedUSD\":1.19E11,\"peggedEUR\":2.5}");
    JsonNode tree = Json.mapper().readTree(json);
    assertThat(tree.get("circulatingPrevWeek").isIntegralNumber()).isTrue();
    assertThat(tree.get("chainCirculating").get("Ethereum").get("circulatingPrevWeek").asInt()).isZero();

    Stablecoin decoded = Stablecoin.TOPIC.decode(json.getBytes(StandardCharsets.UTF_8), 0, 0);
    assertThat(decoded.circulatingPrevWeek()).isEqualTo(PeggedAmounts.ZERO);
    assertThat(decoded.circulatingPrevWeek().bareZero()).isTrue();
    assertThat(decoded.circulatingPrevWeek().byPegType()).isEmpty();
    assertThat(decoded.chainCirculating().get("Ethereum").circulatingPrevWeek()).isEqualTo(PeggedAmounts.ZERO);
    assertThat(decoded.circulatingPrevMonth().byPegType().keySet()).as("peg order is kept").containsExactly("peggedUSD", "peggedEUR");
    assertThat(PeggedAmounts.of(Map.of())).as("an empty object is not a bare zero").isNotEqualTo(PeggedAmounts.ZERO);
  }

  @Test
  void peggedAmountsRefuseOtherShapes() {
    byte[] nonZero = "{\"id\":\"1\",\"circulating\":5}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Stablecoin.TOPIC.decode(nonZero, 0, 1)).as("only a bare 0 may replace the object")
        .hasMessageContaining("circulating");
    byte[] text = "{\"id\":\"1\",\"circulating\":{\"peggedUSD\":\"lots\"}}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Stablecoin.TOPIC.decode(text, 0, 2)).hasMessageContaining("circulating");
    assertThatThrownBy(() -> new PeggedAmounts(Map.of("peggedUSD", 1.0), true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsAreImmutable() {
    assertThatThrownBy(() -> PROTOCOL.chains().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> TOKEN.platforms().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Protocol(null, "  ", null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
  }
}
