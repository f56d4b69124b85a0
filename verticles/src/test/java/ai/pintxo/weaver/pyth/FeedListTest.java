package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedListTest {

  /** The original list, as shipped in conf/ for the demo (a copy of the seed's pyth-price-feed-ids.json). */
  static List<PythFeedOptions> originalList() throws Exception {
    Path file = Path.of("..", "conf", "pyth-price-feed-ids.json");
    return PythOptions.parseFeedsFile(Buffer.buffer(Files.readAllBytes(file)), file.toString());
  }

  @Test
  void originalListLeavesOutTheFourMalformedIdsByName() throws Exception {
    List<PythFeedOptions> configured = originalList();
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
    List<PythFeedOptions> configured = List.of(new PythFeedOptions("0x" + known, "Crypto.AAA/USD"),
        new PythFeedOptions(known.toUpperCase(), "Crypto.AAA/USD"), new PythFeedOptions(unknown, "Crypto.BBB/USD"));
    FeedList feeds = FeedList.check(configured, Map.of(known, new PythFeed(known, "Crypto.AAA/USD", "AAA")));
    assertThat(feeds.accepted()).containsExactly(new PythFeed(known, "Crypto.AAA/USD", "AAA"));
    assertThat(feeds.rejected()).extracting(FeedList.Rejected::reason).containsExactly("listed twice", "unknown to Hermes");
  }

  @Test
  void anExactDuplicateIsReportedLikeOtherDuplicates() {
    String id = "0x" + "cc".repeat(32);
    FeedList feeds = FeedList.check(List.of(new PythFeedOptions(id, "Crypto.CCC/USD"), new PythFeedOptions(id, "Crypto.CCC/USD"),
        new PythFeedOptions(id, "Crypto.OTHER/USD")), null);
    assertThat(feeds.accepted()).containsExactly(new PythFeed("cc".repeat(32), "Crypto.CCC/USD", "CCC"));
    assertThat(feeds.rejected()).extracting(FeedList.Rejected::id, FeedList.Rejected::symbol, FeedList.Rejected::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id, "Crypto.CCC/USD", "listed twice"),
            org.assertj.core.groups.Tuple.tuple(id, "Crypto.OTHER/USD", "listed twice"));
    assertThat(feeds.rejected()).allMatch(FeedList.Rejected::duplicate);
  }

  @Test
  void aFeedsFileKeepsItsDuplicatesForTheCheck() {
    String id = "0x" + "dd".repeat(32);
    List<PythFeedOptions> parsed = PythOptions.parseFeedsFile(Buffer.buffer(
        "[{\"id\": \"" + id + "\", \"symbol\": \"Crypto.DDD/USD\"}, {\"id\": \"" + id + "\", \"symbol\": \"Crypto.DDD/USD\"}]"), "f.json");
    assertThat(parsed).hasSize(2);
    assertThat(FeedList.check(parsed, null).rejected()).extracting(FeedList.Rejected::reason).containsExactly("listed twice");
  }

  @Test
  void anEmptyFeedsFileIsRefusedAtStartWithTheKeyAndFileNamed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("feeds.json"), "[]");
    JsonObject config = new JsonObject().put("feedsFile", "feeds.json");
    assertThatThrownBy(() -> new PythProvider().validate(config, "verticles[pyth].config", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("verticles[pyth].config.feedsFile")
        .hasMessageContaining(dir.resolve("feeds.json").toString())
        .hasMessageContaining("lists no feeds");
    assertThatThrownBy(() -> new PythProvider().validate(new JsonObject().put("feeds", new io.vertx.core.json.JsonArray()),
        "verticles[pyth].config", dir)).as("like an empty inline list").isInstanceOf(ConfigException.class);
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
