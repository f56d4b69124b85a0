package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.poller.BuiltIn;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.PeggedAmounts;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.processors.StablecoinProcessor;
import ai.pintxo.weaver.feed.VespaPaths;
import ai.pintxo.weaver.testutil.SharedFixtures;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorsTest {

  private static String body(DocumentOperation op) {
    return new String(DocumentJson.body(op), StandardCharsets.UTF_8);
  }

  private static DocumentUpdate update(DocumentOperation op) {
    assertThat(op).isInstanceOf(DocumentUpdate.class);
    DocumentUpdate update = (DocumentUpdate) op;
    assertThat(update.create()).as("every write is an upsert, as in the original").isTrue();
    return update;
  }

  @Test
  void eachApiTopicHasItsProcessorAndDocumentType() {
    Map<String, String> expected = Map.of("tokens-api-topic", "tokens", "protocols-api-topic", "protocol",
        "chains-api-topic", "chain", "bridges-api-topic", "bridge", "stablecoins-api-topic", "stablecoin", "pools-api-topic", "pool");
    expected.forEach((topic, type) ->
        assertThat(DocumentProcessors.installed().forTopic(topic)).as(topic).get().extracting(DocumentProcessor::documentType).isEqualTo(type));
  }

  @Test
  void tokenBecomesAnAssignOfItsThreeFields() {
    DocumentUpdate op = update(BuiltIn.<Token>processor("tokens-api-topic").process(new Token("bitcoin", "btc", "Bitcoin", Map.of("ethereum", "0xabc"))));
    assertThat(op.id()).isEqualTo(DocumentId.pintxo("tokens", "bitcoin"));
    assertThat(body(op)).isEqualTo("{\"fields\":{\"id\":{\"assign\":\"bitcoin\"},\"symbol\":{\"assign\":\"btc\"},\"name\":{\"assign\":\"Bitcoin\"}}}");
  }

  @Test
  void protocolIsKeyedByNameWithCmcIdDefaultAndAbsentFieldsLeftOut() {
    Protocol p = new Protocol("2269", "Uniswap V3", null, "UNI", "https://uniswap.org", "AMM", "Ethereum", "uniswap", null, "Dexs",
        List.of("Ethereum", "Arbitrum"), "Uniswap", 4.2e9, new LinkedHashMap<>(Map.of("Ethereum", 4.0e9)), null, -1.5, 2.0, 3.3e9);
    DocumentUpdate op = update(BuiltIn.<Protocol>processor("protocols-api-topic").process(p));
    assertThat(op.id().toString()).isEqualTo("id:pintxo:protocol::Uniswap V3");
    assertThat(body(op)).isEqualTo("{\"fields\":{"
        + "\"id\":{\"assign\":\"2269\"},\"name\":{\"assign\":\"Uniswap V3\"},\"symbol\":{\"assign\":\"UNI\"},"
        + "\"url\":{\"assign\":\"https://uniswap.org\"},\"description\":{\"assign\":\"AMM\"},\"chain\":{\"assign\":\"Ethereum\"},"
        + "\"gecko_id\":{\"assign\":\"uniswap\"},\"cmcId\":{\"assign\":\"\"},\"category\":{\"assign\":\"Dexs\"},"
        + "\"chains\":{\"assign\":[\"Ethereum\",\"Arbitrum\"]},\"twitter\":{\"assign\":\"Uniswap\"},\"tvl\":{\"assign\":4.2E9},"
        + "\"chainTvls\":{\"assign\":{\"Ethereum\":4.0E9}},\"change_1d\":{\"assign\":-1.5},\"change_7d\":{\"assign\":2.0},"
        + "\"mcap\":{\"assign\":3.3E9}}}");
  }

  @Test
  void chainAndBridgeUseTheOriginalDefaults() {
    assertThat(body(BuiltIn.<Chain>processor("chains-api-topic").process(new Chain(null, 1.5, null, null, "Obscure/Chain", null))))
        .isEqualTo("{\"fields\":{\"tvl\":{\"assign\":1.5},\"cmcId\":{\"assign\":\"\"},\"name\":{\"assign\":\"Obscure/Chain\"}}}");
    DocumentOperation bridge = BuiltIn.<Bridge>processor("bridges-api-topic").process(new Bridge(7L, "hop", null, 1.0, null, null, null, null, null, null, null, List.of()));
    assertThat(bridge.id()).isEqualTo(DocumentId.pintxo("bridge", "7"));
    assertThat(body(bridge)).isEqualTo("{\"fields\":{\"id\":{\"assign\":7},\"name\":{\"assign\":\"hop\"},"
        + "\"displayName\":{\"assign\":\"\"},\"volumePrevDay\":{\"assign\":1.0},\"chains\":{\"assign\":[]}}}");
  }

  @Test
  void poolWritesNullNumbersAsZeroAndTheTokenLists() {
    Pool pool = new Pool("Ethereum", "lido", "STETH", 2.1e10, null, null, 3.1, null, "747c1d2a", null, null, null, true, "no", "single",
        List.of("0x1"), null, 3.2, null, null);
    DocumentOperation op = BuiltIn.<Pool>processor("pools-api-topic").process(pool);
    assertThat(op.id()).isEqualTo(DocumentId.pintxo("pool", "747c1d2a"));
    assertThat(body(op)).isEqualTo("{\"fields\":{\"chain\":{\"assign\":\"Ethereum\"},\"project\":{\"assign\":\"lido\"},"
        + "\"symbol\":{\"assign\":\"STETH\"},\"tvlUsd\":{\"assign\":2.1E10},\"apyBase\":{\"assign\":0.0},\"apyReward\":{\"assign\":0.0},"
        + "\"apy\":{\"assign\":3.1},\"pool\":{\"assign\":\"747c1d2a\"},\"apyPct1D\":{\"assign\":0.0},\"apyPct7D\":{\"assign\":0.0},"
        + "\"apyPct30D\":{\"assign\":0.0},\"stablecoin\":{\"assign\":true},\"ilRisk\":{\"assign\":\"no\"},\"exposure\":{\"assign\":\"single\"},"
        + "\"underlyingTokens\":{\"assign\":[\"0x1\"]},\"apyBase7d\":{\"assign\":0.0},\"apyMean30d\":{\"assign\":3.2},"
        + "\"volumeUsd1d\":{\"assign\":0.0},\"volumeUsd7d\":{\"assign\":0.0}}}");
  }

  @Test
  void stablecoinCirculationIsWrittenAsJavaScriptWouldStringifyIt() {
    Stablecoin s = new Stablecoin("1", "Tether", "USDT", "tether", "peggedUSD", null, "fiat-backed",
        PeggedAmounts.of(Map.of("peggedUSD", 127670074069.01582)), PeggedAmounts.of(Map.of("peggedUSD", 1.5e11)), PeggedAmounts.ZERO,
        PeggedAmounts.of(Map.of()),
        Map.of("Optimism", new Stablecoin.ChainCirculation(PeggedAmounts.of(Map.of("peggedUSD", 843265051.026717)), null,
            PeggedAmounts.of(Map.of("peggedUSD", 0.0)), PeggedAmounts.ZERO)),
        List.of("Optimism"), 1.0003);
    assertThat(body(new StablecoinProcessor().process(s))).isEqualTo("{\"fields\":{\"id\":{\"assign\":\"1\"},"
        + "\"name\":{\"assign\":\"Tether\"},\"symbol\":{\"assign\":\"USDT\"},\"gecko_id\":{\"assign\":\"tether\"},"
        + "\"pegType\":{\"assign\":\"peggedUSD\"},\"pegMechanism\":{\"assign\":\"fiat-backed\"},"
        + "\"circulating\":{\"assign\":\"{\\\"peggedUSD\\\":127670074069.01582}\"},"
        + "\"circulatingPrevDay\":{\"assign\":\"{\\\"peggedUSD\\\":150000000000}\"},"
        + "\"circulatingPrevWeek\":{\"assign\":\"0\"},\"circulatingPrevMonth\":{\"assign\":\"{}\"},"
        + "\"chainCirculating\":{\"assign\":\"{\\\"Optimism\\\":{\\\"current\\\":{\\\"peggedUSD\\\":843265051.026717},"
        + "\\\"circulatingPrevWeek\\\":{\\\"peggedUSD\\\":0},\\\"circulatingPrevMonth\\\":0}}\"},"
        + "\"chains\":{\"assign\":[\"Optimism\"]},\"price\":{\"assign\":1.0003}}}");
  }

  @Test
  void realTetherRecordMakesTheOriginalsJsonStrings() {
    byte[] fixture = SharedFixtures.bytes("defillama/stablecoins_includePrices.json");
    Stablecoin tether = BuiltIn.<Stablecoin>handler("stablecoins").parse(fixture, "fixture").records().get(0);
    String json = body(new StablecoinProcessor().process(tether));
    assertThat(json).contains("\"circulating\":{\"assign\":\"{\\\"peggedUSD\\\":127670074069.01582}\"}");
    assertThat(json).contains("\"circulatingPrevMonth\":{\"assign\":\"{\\\"peggedUSD\\\":119801443875.71805}\"}");
    assertThat(json).contains("\\\"Statemine\\\":{\\\"current\\\":{\\\"peggedUSD\\\":239993},");
  }

  @Test
  void idsAreUrlEncodedSoEachReachesItsOwnDocument() {
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("protocol", "Uniswap V3"))).isEqualTo("/document/v1/pintxo/protocol/docid/Uniswap+V3");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("protocol", "Curve/Convex"))).isEqualTo("/document/v1/pintxo/protocol/docid/Curve%2FConvex");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("protocol", "What?Swap"))).isEqualTo("/document/v1/pintxo/protocol/docid/What%3FSwap");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("pool", "Pool #1"))).isEqualTo("/document/v1/pintxo/pool/docid/Pool+%231");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("protocol", "100% Yield"))).isEqualTo("/document/v1/pintxo/protocol/docid/100%25+Yield");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("tokens", "Ünï 東京"))).isEqualTo("/document/v1/pintxo/tokens/docid/%C3%9Cn%C3%AF+%E6%9D%B1%E4%BA%AC");
    assertThat(VespaPaths.documentPath(DocumentId.pintxo("tokens", "a+b"))).isEqualTo("/document/v1/pintxo/tokens/docid/a%2Bb");
  }
}
