package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedListTest {

  /** The original list, as shipped in conf/ for the demo (a copy of the seed's pyth-price-feed-ids.json). */
  static Map<String, String> originalList() throws Exception {
    Path file = Path.of("..", "conf", "pyth-price-feed-ids.json");
    return PythOptions.parseFeedsFile(Buffer.buffer(Files.readAllBytes(file)), file.toString());
  }

  @Test
  void originalListLeavesOutTheFourMalformedIdsByName() throws Exception {
    Map<String, String> configured = originalList();
    assertThat(configured).hasSize(317);
    FeedList feeds = FeedList.check(configured, null);
    assertThat(feeds.rejected()).extracting(FeedList.Rejected::symbol, FeedList.Rejected::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Crypto.CRO/USD", "malformed: 63 characters, a feed id has 64 hex digits"),
        org.assertj.core.groups.Tuple.tuple("POR/USD", "malformed: 57 characters, a feed id has 64 hex digits"),
        org.assertj.core.groups.Tuple.tuple("PYUSD/USD", "malformed: 65 characters, a feed id has 64 hex digits"),
        org.assertj.core.groups.Tuple.tuple("RNDR/USD", "malformed: 65 characters, a feed id has 64 hex digits"));
    assertThat(feeds.accepted()).hasSize(313).allSatisfy(f -> assertThat(f.id()).matches("[0-9a-f]{64}"));
    assertThat(feeds.accepted()).filteredOn(f -> f.symbol().equals("Crypto.BTC/USD")).singleElement()
        .extracting(PythFeed::base).isEqualTo("BTC");
  }

  @Test
  void idsUnknownToTheCatalogAndDuplicatesAreLeftOut() {
    String known = "aa".repeat(32);
    String unknown = "bb".repeat(32);
    Map<String, String> configured = new LinkedHashMap<>();
    configured.put("0x" + known, "Crypto.AAA/USD");
    configured.put(known.toUpperCase(), "Crypto.AAA/USD");
    configured.put(unknown, "Crypto.BBB/USD");
    FeedList feeds = FeedList.check(configured, Map.of(known, new PythFeed(known, "Crypto.AAA/USD", "AAA")));
    assertThat(feeds.accepted()).containsExactly(new PythFeed(known, "Crypto.AAA/USD", "AAA"));
    assertThat(feeds.rejected()).extracting(FeedList.Rejected::reason).containsExactly("listed twice", "unknown to Hermes");
  }

  @Test
  void feedsAreSplitIntoStreamsOfBoundedSize() throws Exception {
    FeedList feeds = FeedList.check(originalList(), null);
    List<List<PythFeed>> groups = feeds.groups(100);
    assertThat(groups).extracting(List::size).containsExactly(100, 100, 100, 13);
  }

  @Test
  void baseSymbolOfTheOriginalSymbolShapes() {
    assertThat(PythFeed.baseOf("Crypto.BTC/USD")).isEqualTo("BTC");
    assertThat(PythFeed.baseOf("POR/USD")).isEqualTo("POR");
    assertThat(PythFeed.baseOf("Equity.US.AAPL/USD")).isEqualTo("AAPL");
  }
}
