package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.PeggedAmounts;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testutil.SharedFixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlersTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyOriginalDataTypeHasItsHandlerAndTopic() {
    assertThat(ApiHandlers.installed().dataTypes())
        .as("the six data types of the original endpoints file")
        .contains("tokens", "protocols", "chains", "bridges", "stablecoins", "pools");
    assertThat(ApiHandlers.installed().forDataType("pools").orElseThrow().topic().name()).isEqualTo("pools-api-topic");
    assertThat(ApiHandlers.installed().forDataType("tokens").orElseThrow().topic().name()).isEqualTo("tokens-api-topic");
  }

  @Test
  void protocolKeepsTheOriginalFieldsAndDropsTheRest() {
    byte[] body = json("""
        [{"id":"2269","name":"Binance CEX","address":null,"symbol":"-","url":"https://www.binance.com","description":"Exchange",
          "chain":"Multi-Chain","logo":"https://icons.llama.fi/binance-cex.jpg","audits":"0","audit_note":null,"gecko_id":null,
          "cmcId":null,"category":"CEX","chains":["Bitcoin","Ethereum"],"module":"binance/index.js","twitter":"binance",
          "forkedFrom":[],"oracles":[],"listedAt":1668170565,"methodology":"CEX","slug":"binance-cex","tvl":1.5E10,
          "chainTvls":{"Bitcoin":1.0E10,"Ethereum":5.0E9},"change_1h":0.25,"change_1d":-1,"change_7d":3.5,
          "tokenBreakdowns":{},"mcap":null,"somethingNew":{"x":1}}]""");
    ParsedResponse<Protocol> parsed = BuiltIn.<Protocol>handler("protocols").parse(body, "test");
    assertThat(parsed.failures()).isEmpty();
    assertThat(parsed.records()).containsExactly(new Protocol("2269", "Binance CEX", null, "-", "https://www.binance.com", "Exchange",
        "Multi-Chain", null, null, "CEX", List.of("Bitcoin", "Ethereum"), "binance", 1.5e10,
        Map.of("Bitcoin", 1.0e10, "Ethereum", 5.0e9), 0.25, -1.0, 3.5, null));
    String encoded = new String(Protocol.TOPIC.encode(parsed.records().get(0)), StandardCharsets.UTF_8);
    assertThat(encoded).as("dropped fields are not carried to Kafka")
        .doesNotContain("logo", "audits", "methodology", "module", "slug", "somethingNew", "listedAt");
    assertThat(encoded).contains("\"change_1h\":0.25", "\"name\":\"Binance CEX\"");
  }

  @Test
  void chainBridgePoolAndTokenRecordsAreExact() {
    assertThat(BuiltIn.<Chain>handler("chains").parse(json("""
        [{"gecko_id":"ethereum","tvl":5.5E10,"tokenSymbol":"ETH","cmcId":"1027","name":"Ethereum","chainId":1},
         {"gecko_id":null,"tvl":12.5,"tokenSymbol":null,"cmcId":null,"name":"Obscure","chainId":null}]"""), "t").records())
        .containsExactly(new Chain("ethereum", 5.5e10, "ETH", "1027", "Ethereum", 1L), new Chain(null, 12.5, null, null, "Obscure", null));
    assertThat(BuiltIn.<Bridge>handler("bridges").parse(json("""
        {"bridges":[{"id":1,"name":"polygon","displayName":"Polygon PoS Bridge","icon":"chain:polygon","volumePrevDay":1,
          "volumePrev2Day":2,"lastHourlyVolume":3,"currentDayVolume":4,"lastDailyVolume":5,"dayBeforeLastVolume":6,
          "weeklyVolume":7,"monthlyVolume":8,"chains":["Ethereum","Polygon"],"destinationChain":"false"}]}"""), "t").records())
        .containsExactly(new Bridge(1L, "polygon", "Polygon PoS Bridge", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, List.of("Ethereum", "Polygon")));
    assertThat(BuiltIn.<Pool>handler("pools").parse(json("""
        {"status":"success","data":[{"chain":"Ethereum","project":"lido","symbol":"STETH","tvlUsd":2.1E10,"apyBase":3.1,
          "apyReward":null,"apy":3.1,"rewardTokens":null,"pool":"747c1d2a-c668-4682-b9f9-296708a3dd90","apyPct1D":0.1,
          "apyPct7D":null,"apyPct30D":-0.2,"stablecoin":false,"ilRisk":"no","exposure":"single",
          "predictions":{"predictedClass":"Stable/Up"},"poolMeta":null,"mu":3.7,"sigma":0.05,"count":500,"outlier":false,
          "underlyingTokens":["0x0000000000000000000000000000000000000000"],"il7d":null,"apyBase7d":3.0,"apyMean30d":3.2,
          "volumeUsd1d":null,"volumeUsd7d":null,"apyBaseInception":null}]}"""), "t").records())
        .containsExactly(new Pool("Ethereum", "lido", "STETH", 2.1e10, 3.1, null, 3.1, null, "747c1d2a-c668-4682-b9f9-296708a3dd90",
            0.1, null, -0.2, false, "no", "single", List.of("0x0000000000000000000000000000000000000000"), 3.0, 3.2, null, null));
    assertThat(BuiltIn.<Token>handler("tokens").parse(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]"), "t").records())
        .containsExactly(new Token("bitcoin", "btc", "Bitcoin", null));
  }

  @Test
  void itemsOfTheWrongShapeAreReportedWithIndexAndFieldWhileTheOthersAreKept() {
    ParsedResponse<Protocol> parsed = BuiltIn.<Protocol>handler("protocols").parse(json("""
        [{"name":"ok one","tvl":1},{"name":"bad","tvl":"1.5B"},{"tvl":2},{"name":"ok two","chains":"Ethereum"},{"name":"ok three"}]"""),
        "https://api.llama.fi/protocols");
    assertThat(parsed.records()).extracting(Protocol::name).containsExactly("ok one", "ok three");
    assertThat(parsed.failures()).extracting(ParsedResponse.ItemFailure::index).containsExactly(1, 2, 3);
    PayloadDecodeException wrongType = parsed.failures().get(0).error();
    assertThat(wrongType.field()).contains("[1].tvl");
    assertThat(wrongType.getMessage()).contains("https://api.llama.fi/protocols", "[1].tvl", "expected number", "string");
    assertThat(parsed.failures().get(1).error().getMessage()).contains("missing required field 'name'");
    assertThat(parsed.failures().get(2).error().getMessage()).contains("[3].chains", "expected array");
    assertThat(new String(parsed.failures().get(0).item(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"bad\",\"tvl\":\"1.5B\"}");
  }

  @Test
  void aNumberIsNotAString() {
    ParsedResponse<Token> parsed = BuiltIn.<Token>handler("tokens").parse(json("[{\"id\":\"a\",\"name\":42}]"), "t");
    assertThat(parsed.records()).isEmpty();
    assertThat(parsed.failures().get(0).error().getMessage()).contains("[0].name", "expected string");
  }

  @Test
  void responsesThatAreNotCompleteJsonAreRejectedWhole() {
    assertThatThrownBy(() -> BuiltIn.<Pool>handler("pools").parse(json("<!DOCTYPE html><html><body>Bad Gateway</body></html>"), "https://yields.llama.fi/pools"))
        .isInstanceOf(PayloadDecodeException.class)
        .hasMessageContaining("https://yields.llama.fi/pools").hasMessageContaining("not complete JSON").hasMessageContaining("<!DOCTYPE html>");
    assertThatThrownBy(() -> BuiltIn.<Token>handler("tokens").parse(json("[{\"id\":\"a\"},{\"id\":\"b\""), "t"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("not complete JSON");
    assertThatThrownBy(() -> BuiltIn.<Pool>handler("pools").parse(json("{\"status\":\"success\",\"data\":[{\"pool\":\"x\"}],\"more\":[1,"), "t"))
        .as("a truncated envelope is noticed even after the array").isInstanceOf(PayloadDecodeException.class);
    assertThatThrownBy(() -> BuiltIn.<Pool>handler("pools").parse(json("{\"status\":\"error\"}"), "t"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("no 'data' array");
    assertThatThrownBy(() -> BuiltIn.<Token>handler("tokens").parse(json("{\"id\":\"a\"}"), "t"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("expected an array");
    assertThatThrownBy(() -> BuiltIn.<Token>handler("tokens").parse(new byte[0], "t")).isInstanceOf(PayloadDecodeException.class);
  }

  @Test
  void everyGeneratedItemParsesIntoItsRecord() {
    ApiPayloads payloads = ApiPayloads.scaled(3, 0.05);
    for (String dataType : payloads.dataTypes()) {
      ApiHandler<?> handler = ApiHandlers.installed().forDataType(dataType).orElseThrow();
      ParsedResponse<?> parsed = handler.parse(payloads.responseBytes(dataType), dataType);
      assertThat(parsed.failures()).as(dataType + " items that fail").isEmpty();
      assertThat(parsed.records()).as(dataType + " records").hasSize(payloads.size(dataType));
      List<ObjectNode> items = payloads.items(dataType);
      for (int i = 0; i < items.size(); i++) {
        ai.pintxo.weaver.codecs.Keyed record = (ai.pintxo.weaver.codecs.Keyed) parsed.records().get(i);
        String idField = switch (dataType) {
          case "protocols", "chains" -> "name";
          case "pools" -> "pool";
          default -> "id";
        };
        assertThat(record.key()).as(dataType + " item " + i + " key").isEqualTo(items.get(i).get(idField).asText());
      }
    }
  }

  @Test
  void realStablecoinsPayloadParsesCompletely() throws Exception {
    byte[] body = SharedFixtures.bytes("defillama/stablecoins_includePrices.json");
    ParsedResponse<Stablecoin> parsed = BuiltIn.<Stablecoin>handler("stablecoins").parse(body, "fixture");
    assertThat(parsed.failures()).isEmpty();
    assertThat(parsed.records()).hasSize(206);
    Stablecoin tether = parsed.records().get(0);
    assertThat(tether.id()).isEqualTo("1");
    assertThat(tether.name()).isEqualTo("Tether");
    assertThat(tether.symbol()).isEqualTo("USDT");
    assertThat(tether.geckoId()).isEqualTo("tether");
    assertThat(tether.pegType()).isEqualTo("peggedUSD");
    assertThat(tether.pegMechanism()).isEqualTo("fiat-backed");
    assertThat(tether.circulating()).isEqualTo(PeggedAmounts.of(Map.of("peggedUSD", 127670074069.01582)));
    assertThat(tether.chainCirculating().get("Optimism").current()).isEqualTo(PeggedAmounts.of(Map.of("peggedUSD", 843265051.026717)));
    assertThat(tether.chainCirculating().get("Kusama").circulatingPrevMonth()).as("a bare 0 in the real data").isEqualTo(PeggedAmounts.ZERO);
    var source = Json.mapper().readTree(body).get("peggedAssets");
    for (int i = 0; i < 206; i++) {
      assertThat(parsed.records().get(i).chains()).as("chains of asset " + i)
          .hasSize(source.get(i).get("chains").size());
      assertThat(parsed.records().get(i).chainCirculating().keySet()).as("chainCirculating of asset " + i)
          .hasSize(source.get(i).get("chainCirculating").size());
    }
  }

  @Test
  void realCoinGeckoCoinListParsesCompletely() {
    byte[] body = SharedFixtures.bytes("coingecko/coins-list-include-platform.json");
    ParsedResponse<Token> parsed = BuiltIn.<Token>handler("tokens").parse(body, "fixture");
    assertThat(parsed.failures()).isEmpty();
    assertThat(parsed.records()).hasSize(12_667);
    assertThat(parsed.records()).filteredOn(t -> t.id().equals("0chain")).singleElement()
        .isEqualTo(new Token("0chain", "zcn", "Zus", Map.of("ethereum", "0xb9ef770b6a5e12e45983c5d80545258aa38f3b78",
            "polygon-pos", "0x8bb30e0e67b11b978a5040144c410e1ccddcba30")));
    assertThat(parsed.records()).extracting(Token::id).as("an id with a space, which the original broke on").contains("1move token");
  }
}
