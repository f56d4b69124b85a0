package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.codecs.api.GeckoToken;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.poller.handlers.NewPoolsZksyncHandler;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The four endpoints the original was preparing, and the streaming reader all array handlers share. */
class NewEndpointHandlersTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theFourNewDataTypesHaveHandlersAndTopics() {
    assertThat(ApiHandlers.installed().forDataType("volumes").orElseThrow().topic().name()).isEqualTo("volumes-api-topic");
    assertThat(ApiHandlers.installed().forDataType("daily_fees").orElseThrow().topic().name()).isEqualTo("daily_fees-api-topic");
    assertThat(ApiHandlers.installed().forDataType("daily_revenue").orElseThrow().topic().name()).isEqualTo("daily_revenue-api-topic");
    assertThat(ApiHandlers.installed().forDataType("new_pools_zksync").orElseThrow().topic().name())
        .isEqualTo("new_pools_zksync-api-topic");
  }

  @Test
  void overviewProtocolKeepsItsFiguresAndDropsTheRest() {
    byte[] body = json("""
        {"totalDataChart":[],"totalDataChartBreakdown":[],"breakdown24h":null,"chain":null,"allChains":["Ethereum","Base"],
         "total24h":1.2E10,"change_1d":3.1,
         "protocols":[{"total24h":1.5E9,"total48hto24h":1.4E9,"total7d":9.1E9,"total14dto7d":8E9,"total60dto30d":4E10,
           "total30d":4.2E10,"total1y":null,"totalAllTime":2.1E12,"average1y":1.1E9,"change_1d":7.14,"change_7d":-2.5,
           "change_1m":null,"change_7dover7d":1.0,"change_30dover30d":2.0,"breakdown24h":{"ethereum":{"Uniswap V3":1.0E9}},
           "total7DaysAgo":1.3E9,"total30DaysAgo":1.2E9,"defillamaId":"2198","name":"Uniswap V3","displayName":"Uniswap V3",
           "module":"uniswap","category":"Dexs","logo":"https://icons.llamao.fi/icons/protocols/uniswap-v3.png",
           "chains":["Ethereum","Base"],"protocolType":"protocol","methodologyURL":"https://github.com/x",
           "methodology":{"Fees":"Swap fees"},"latestFetchIsOk":true,"slug":"uniswap-v3","id":"2198",
           "parentProtocol":"parent#uniswap","linkedProtocols":["Uniswap V2","Uniswap V3"]}]}""");
    ProtocolOverview expected = new ProtocolOverview("2198", "Uniswap V3", "Uniswap V3", "uniswap-v3", "uniswap", "Dexs",
        "protocol", "parent#uniswap", List.of("Ethereum", "Base"), 1.5e9, 1.4e9, 9.1e9, 4.2e10, null, 2.1e12, 7.14, -2.5, null);
    for (ApiHandler<ProtocolOverview> handler : List.of(BuiltIn.<ProtocolOverview>handler("volumes"), BuiltIn.<ProtocolOverview>handler("daily_fees"), BuiltIn.<ProtocolOverview>handler("daily_revenue"))) {
      ParsedResponse<ProtocolOverview> parsed = handler.parse(body, "test");
      assertThat(parsed.failures()).isEmpty();
      assertThat(parsed.records()).containsExactly(expected);
    }
    String encoded = new String(ProtocolOverview.VOLUMES_TOPIC.encode(expected), StandardCharsets.UTF_8);
    assertThat(encoded).doesNotContain("logo", "methodology", "breakdown24h", "linkedProtocols").contains("\"change_1d\":7.14");
    assertThat(BuiltIn.<ProtocolOverview>handler("volumes").parse(json("{\"protocols\":[{\"defillamaId\":\"1\",\"name\":\"x\",\"total24h\":\"big\"}]}"), "t")
        .failures().get(0).error().getMessage()).contains("protocols[0].total24h", "expected number");
  }

  private static final String GECKO_PAGE = """
      {"data":[
        {"id":"zksync_0xpool1","type":"pool","attributes":{"base_token_price_usd":"0.000123456789012345678",
          "base_token_price_native_currency":"0.0000000394","quote_token_price_usd":"3127.44","address":"0xpool1",
          "name":"ZK / WETH 0.3%","pool_created_at":"2026-03-01T10:00:00Z","fdv_usd":"1234567.5","market_cap_usd":null,
          "price_change_percentage":{"m5":"0.5","h1":"-1.25","h6":null,"h24":"12"},
          "transactions":{"h24":{"buys":10,"sells":5,"buyers":8,"sellers":4}},
          "volume_usd":{"m5":"10.5","h24":"98765.4321"},"reserve_in_usd":"4567.8"},
         "relationships":{"base_token":{"data":{"id":"zksync_0xzk","type":"token"}},
           "quote_token":{"data":{"id":"zksync_0xweth","type":"token"}},"dex":{"data":{"id":"syncswap","type":"dex"}}}},
        {"id":"zksync_0xpool2","type":"pool","attributes":{"address":"0xpool2","name":"A / B","reserve_in_usd":12.500000000000000000001},
         "relationships":{"base_token":{"data":{"id":"zksync_0xnotincluded","type":"token"}},"dex":{"data":null}}},
        {"id":"zksync_0xpool3","type":"pool","attributes":{"address":"0xpool3","reserve_in_usd":"a lot"}},
        {"id":"zksync_0xpool4","type":"pool","attributes":{"address":"0xpool4","volume_usd":"huge"}}
      ],
      "included":[
        {"id":"zksync_0xzk","type":"token","attributes":{"address":"0xzk","name":"ZKsync","symbol":"ZK","image_url":"x.png",
          "coingecko_coin_id":"zksync","decimals":18}},
        {"id":"zksync_0xweth","type":"token","attributes":{"address":"0xweth","name":"Wrapped Ether","symbol":"WETH",
          "coingecko_coin_id":null}},
        {"id":"syncswap","type":"dex","attributes":{"name":"SyncSwap"}}],
      "links":{"next":"https://api.geckoterminal.com/api/v2/networks/zksync/new_pools?page=2"}}""";

  @Test
  void jsonApiPoolsResolveTheirRelationshipsFromIncluded() {
    List<GeckoPool> records = new ArrayList<>();
    List<ParsedResponse.ItemFailure> failures = new ArrayList<>();
    ResponseReader<GeckoPool> reader = new NewPoolsZksyncHandler().reader("https://api.geckoterminal.com/x");
    ResponseReader.Sink<GeckoPool> sink = sink(records, failures);
    byte[] body = json(GECKO_PAGE);
    reader.feed(Arrays.copyOfRange(body, 0, 100), sink);
    reader.feed(Arrays.copyOfRange(body, 100, body.length), sink);
    Optional<String> next = reader.end(sink);

    assertThat(next).contains("https://api.geckoterminal.com/api/v2/networks/zksync/new_pools?page=2");
    assertThat(records).hasSize(2);
    assertThat(records.get(0)).isEqualTo(new GeckoPool("zksync_0xpool1", "zksync", "0xpool1", "ZK / WETH 0.3%",
        "2026-03-01T10:00:00Z", new BigDecimal("0.000123456789012345678"), new BigDecimal("3127.44"), new BigDecimal("1234567.5"),
        null, new BigDecimal("4567.8"), Map.of("m5", new BigDecimal("10.5"), "h24", new BigDecimal("98765.4321")),
        Map.of("m5", new BigDecimal("0.5"), "h1", new BigDecimal("-1.25"), "h24", new BigDecimal("12")),
        new GeckoToken("zksync_0xzk", "0xzk", "ZKsync", "ZK", 18, "zksync"),
        new GeckoToken("zksync_0xweth", "0xweth", "Wrapped Ether", "WETH", null, null), "syncswap", "SyncSwap"));
    assertThat(records.get(1).baseToken()).as("related but not included: the id is known")
        .isEqualTo(new GeckoToken("zksync_0xnotincluded", null, null, null, null, null));
    assertThat(records.get(1).reserveInUsd()).as("a number where a string is usual, every digit of it")
        .isEqualTo(new BigDecimal("12.500000000000000000001"));
    assertThat(records.get(1).dexId()).isNull();
    assertThat(failures).extracting(ParsedResponse.ItemFailure::index).containsExactly(2, 3);
    assertThat(failures.get(0).error().getMessage()).contains("data[2].attributes.reserve_in_usd", "a lot");
    assertThat(failures.get(1).error().getMessage()).contains("data[3].attributes.volume_usd", "expected an object");
    assertThat(new String(GeckoPool.NEW_POOLS_ZKSYNC_TOPIC.encode(records.get(0)), StandardCharsets.UTF_8))
        .as("exact decimals survive the trip through Kafka").contains("0.000123456789012345678");
    assertThat(GeckoPool.NEW_POOLS_ZKSYNC_TOPIC.decode(GeckoPool.NEW_POOLS_ZKSYNC_TOPIC.encode(records.get(0)), 0, 0))
        .isEqualTo(records.get(0));
  }

  @Test
  void brokenJsonApiDocumentsAreRejectedWhole() {
    assertThatThrownBy(() -> new NewPoolsZksyncHandler().parse(json("<html>rate limited</html>"), "gt"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("not complete JSON").hasMessageContaining("<html>");
    assertThatThrownBy(() -> new NewPoolsZksyncHandler().parse(json("{\"errors\":[{\"status\":\"404\"}]}"), "gt"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("no 'data' array");
    assertThatThrownBy(() -> new NewPoolsZksyncHandler().parse(json(GECKO_PAGE.substring(0, 500)), "gt"))
        .isInstanceOf(PayloadDecodeException.class).hasMessageContaining("not complete JSON");
  }

  @Test
  void theStreamingReaderGivesTheSameRecordsWhateverTheChunking() {
    ApiPayloads payloads = new ApiPayloads(9, Map.of("pools", 40));
    byte[] body = payloads.responseBytes("pools");
    List<Pool> whole = BuiltIn.<Pool>handler("pools").parse(body, "t").records();
    assertThat(whole).hasSize(40);
    for (int chunk : new int[] {1, 2, 7, 64, 1000, 8192}) {
      assertThat(chunked(body, chunk)).as("chunks of " + chunk + " bytes").isEqualTo(whole);
    }
    byte[] small = new ApiPayloads(9, Map.of("pools", 2)).responseBytes("pools");
    List<Pool> expected = BuiltIn.<Pool>handler("pools").parse(small, "t").records();
    for (int split = 0; split <= small.length; split++) {
      List<Pool> records = new ArrayList<>();
      ResponseReader<Pool> reader = BuiltIn.<Pool>handler("pools").reader("t");
      ResponseReader.Sink<Pool> sink = sink(records, new ArrayList<>());
      reader.feed(Arrays.copyOfRange(small, 0, split), sink);
      reader.feed(Arrays.copyOfRange(small, split, small.length), sink);
      reader.end(sink);
      assertThat(records).as("split at byte " + split).isEqualTo(expected);
    }
  }

  @Test
  void recordsArriveBeforeTheResponseEnds() {
    byte[] body = new ApiPayloads(9, Map.of("pools", 10)).responseBytes("pools");
    List<Pool> records = new ArrayList<>();
    ResponseReader<Pool> reader = BuiltIn.<Pool>handler("pools").reader("t");
    reader.feed(Arrays.copyOfRange(body, 0, body.length / 2), sink(records, new ArrayList<>()));
    assertThat(records).as("items complete in the first half").hasSizeBetween(3, 6);
  }

  private static List<Pool> chunked(byte[] body, int size) {
    List<Pool> records = new ArrayList<>();
    ResponseReader<Pool> reader = BuiltIn.<Pool>handler("pools").reader("t");
    ResponseReader.Sink<Pool> sink = sink(records, new ArrayList<>());
    for (int i = 0; i < body.length; i += size) {
      reader.feed(Arrays.copyOfRange(body, i, Math.min(body.length, i + size)), sink);
    }
    reader.end(sink);
    return records;
  }

  private static <T> ResponseReader.Sink<T> sink(List<T> records, List<ParsedResponse.ItemFailure> failures) {
    return new ResponseReader.Sink<>() {
      @Override
      public void record(T record) {
        records.add(record);
      }

      @Override
      public void failure(ParsedResponse.ItemFailure failure) {
        failures.add(failure);
      }
    };
  }
}
