package ai.pintxo.weaver.codecs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.pintxo.weaver.codecs.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Real API responses from the shared fixtures decode into the payload records, and encode back to
 * the same values. Skipped when the shared folder is not beside the checkout.
 */
class SharedFixturesTest {

  /** The fields of a DefiLlama pegged asset that {@link Stablecoin} keeps, by their source names. */
  private static final List<String> STABLECOIN_FIELDS = List.of("id", "name", "symbol", "gecko_id", "pegType", "priceSource",
      "pegMechanism", "circulating", "circulatingPrevDay", "circulatingPrevWeek", "circulatingPrevMonth", "chainCirculating",
      "chains", "price");

  /** JSON equality where 239993 equals 239993.0. */
  private static final Comparator<JsonNode> NUMERIC = (a, b) ->
      a.isNumber() && b.isNumber() ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1;

  private static Path fixture(String relative) {
    String property = System.getProperty("weaver.shared.dir");
    Path shared = property != null && Files.isDirectory(Path.of(property)) ? Path.of(property) : Path.of("/work/shared");
    Path dir = shared.resolve("fixtures");
    assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir + ": skipped");
    Path file = dir.resolve(relative);
    assumeTrue(Files.isRegularFile(file), "fixture " + file + " not found: skipped");
    return file;
  }

  @Test
  void everyStablecoinDecodesAndEncodesBackToTheSameValues() throws IOException {
    JsonNode assets = Json.mapper().readTree(fixture("defillama/stablecoins_includePrices.json").toFile()).get("peggedAssets");
    assertThat(assets).as("the fixture's pegged assets").hasSize(206);

    int bareZeroTop = 0;
    int bareZeroPerChain = 0;
    List<String> mismatches = new ArrayList<>();
    for (JsonNode item : assets) {
      Stablecoin coin = Json.mapper().treeToValue(item, Stablecoin.class);
      assertThat(coin.id()).isEqualTo(item.get("id").asText());
      if (coin.circulatingPrevWeek().bareZero() || coin.circulatingPrevMonth().bareZero()) {
        bareZeroTop++;
      }
      for (Stablecoin.ChainCirculation chain : coin.chainCirculating().values()) {
        bareZeroPerChain += (chain.circulatingPrevWeek().bareZero() ? 1 : 0) + (chain.circulatingPrevMonth().bareZero() ? 1 : 0)
            + (chain.current().bareZero() ? 1 : 0) + (chain.circulatingPrevDay().bareZero() ? 1 : 0);
      }
      assertThat(Stablecoin.TOPIC.decode(Stablecoin.TOPIC.encode(coin), 0, 0)).as("topic round trip of %s", coin.id()).isEqualTo(coin);

      JsonNode encoded = Json.mapper().valueToTree(coin);
      for (String field : STABLECOIN_FIELDS) {
        JsonNode source = item.get(field);
        JsonNode written = encoded.get(field);
        boolean same = source == null || source.isNull() ? written == null : written != null && source.equals(NUMERIC, written);
        if (!same) {
          mismatches.add(coin.id() + "." + field + ": " + source + " -> " + written);
        }
      }
      assertThat(encoded.size()).as("nothing but the kept fields is written for %s", coin.id())
          .isLessThanOrEqualTo(STABLECOIN_FIELDS.size());
    }
    assertThat(mismatches).as("re-encoded fields equal the source numerically").isEmpty();
    assertThat(bareZeroTop).as("assets whose previous week or month is a bare 0").isPositive();
    assertThat(bareZeroPerChain).as("per-chain bare zeros").isPositive();
  }

  @Test
  void everyCoinOfTheCoinListDecodesWithItsPlatforms() throws IOException {
    JsonNode coins = Json.mapper().readTree(fixture("coingecko/coins-list-include-platform.json").toFile());
    assertThat(coins).as("the fixture's coin list").hasSize(12_667);

    List<Token> tokens = new ArrayList<>();
    for (JsonNode item : coins) {
      tokens.add(Json.mapper().treeToValue(item, Token.class));
    }

    assertThat(tokens).hasSize(12_667).allSatisfy(t -> assertThat(t.platforms()).as("platforms of %s", t.id()).isNotNull());
    assertThat(tokens.stream().mapToInt(t -> t.platforms().size()).sum()).as("every platform entry is kept").isEqualTo(15_070);
    // The real list holds one id twice ("derivadao": DerivaDAO and a "Native Ethereum" entry): both
    // decode, and they become one Vespa document.
    Map<String, Long> perId = tokens.stream().collect(java.util.stream.Collectors.groupingBy(Token::id, java.util.stream.Collectors.counting()));
    assertThat(perId).as("distinct CoinGecko ids").hasSize(12_666);
    assertThat(perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as("the only duplicated id").containsExactly("derivadao");
    List<Token> spaced = tokens.stream().filter(t -> t.id().contains(" ")).toList();
    assertThat(spaced).as("ids with a space exist and need URL encoding").extracting(Token::id).contains("1move token");
    Token oneMove = spaced.stream().filter(t -> t.id().equals("1move token")).findFirst().orElseThrow();
    assertThat(oneMove.platforms()).isEqualTo(Map.of("binance-smart-chain", "0x7c56d81ecb5e1d287a1e22b89b01348f07be3541"));
    assertThat(tokens).as("empty contract addresses are kept as they are")
        .anySatisfy(t -> assertThat(t.platforms()).containsValue(""));
    assertThat(tokens.stream().filter(t -> Objects.equals(t.id(), "01coin")).findFirst().orElseThrow().platforms()).isEmpty();
  }
}
