package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.impl.stream.SseEvent;
import ai.pintxo.weaver.impl.stream.SseParser;
import ai.pintxo.weaver.testutil.SharedFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceUpdatesTest {

  private static final String BTC = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";
  private static final String USDT_LIKE = "c96458d393fe9deb7a7d63a0ac41e2898a67a7750dbd166673279e06c868df0a";
  private static final Map<String, PythFeed> FEEDS = Map.of(
      BTC, new PythFeed(BTC, "Crypto.BTC/USD", "BTC"),
      USDT_LIKE, new PythFeed(USDT_LIKE, "Crypto.XYZ/USD", "XYZ"));

  @Test
  void latestCaptureScalesExactly() {
    String json = new String(SharedFixtures.bytes("pyth/v2_updates_price_latest_btc_eth.json"), StandardCharsets.UTF_8);
    List<PythPrice> prices = PriceUpdates.parse(json, FEEDS, "fixture");
    assertThat(prices).hasSize(2);
    PythPrice btc = prices.get(0);
    assertThat(btc.feedId()).isEqualTo(BTC);
    assertThat(btc.base()).isEqualTo("BTC");
    assertThat(btc.price().toPlainString()).isEqualTo("61409.93501000");
    assertThat(btc.conf().toPlainString()).isEqualTo("32.87868567");
    assertThat(btc.emaPrice().toPlainString()).isEqualTo("60940.04700000");
    assertThat(btc.emaConf().toPlainString()).isEqualTo("37.92887800");
    assertThat(btc.expo()).isEqualTo(-8);
    assertThat(btc.publishTime()).isEqualTo(1714746101L);
    PythPrice small = prices.get(1);
    assertThat(small.price().toPlainString()).isEqualTo("0.04959503");
    assertThat(small.conf().toPlainString()).isEqualTo("0.00005465");
  }

  @Test
  void streamCaptureScalesExactly() {
    byte[] capture = SharedFixtures.bytes("pyth/v2_updates_price_stream_btc.sse.txt");
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add, () -> { });
    parser.feed(capture);
    parser.feed(new byte[] {'\n'});
    List<String> prices = new ArrayList<>();
    for (SseEvent event : events) {
      for (PythPrice p : PriceUpdates.parse(event.data(), FEEDS, "fixture stream")) {
        prices.add(p.publishTime() + " " + p.price().toPlainString() + " ± " + p.conf().toPlainString());
      }
    }
    assertThat(prices).hasSize(2).last().isEqualTo("1714748301 61630.88000000 ± 33.08129843");
  }

  @Test
  void legacyCaptureValuesScaleExactly() throws Exception {
    JsonNode legacy = new ObjectMapper().readTree(SharedFixtures.bytes("pyth/api_latest_price_feeds_eth_legacy.json")).get(0);
    int expo = legacy.path("price").path("expo").asInt();
    assertThat(PythPrice.scale(legacy.path("price").path("price").asText(), expo).toPlainString()).isEqualTo("1841.36023127");
    assertThat(PythPrice.scale(legacy.path("ema_price").path("conf").asText(), expo).toPlainString()).isEqualTo("1.78704085");
  }

  @Test
  void sixtyFourBitIntegersSurviveWhereADoubleWouldRound() {
    BigDecimal max = PythPrice.scale("9223372036854775807", -8);
    assertThat(max.toPlainString()).isEqualTo("92233720368.54775807");
    assertThat(PythPrice.scale("123", 2).toPlainString()).isEqualTo("12300");
    assertThat(PythPrice.scale("-5", -3).toPlainString()).isEqualTo("-0.005");
  }

  @Test
  void unknownFeedsAreSkippedAndWrongTypesAreErrorsNamingTheField() {
    String other = "{\"parsed\":[{\"id\":\"" + "ab".repeat(32) + "\",\"price\":{\"price\":\"1\",\"conf\":\"1\",\"expo\":-2,\"publish_time\":1}}]}";
    assertThat(PriceUpdates.parse(other, FEEDS, "s")).isEmpty();
    String wrong = "{\"parsed\":[{\"id\":\"" + BTC + "\",\"price\":{\"price\":\"1.5\",\"conf\":\"1\",\"expo\":-2,\"publish_time\":1}}]}";
    assertThatThrownBy(() -> PriceUpdates.parse(wrong, FEEDS, "hermes[BTC]")).isInstanceOf(PayloadDecodeException.class)
        .hasMessageContaining("parsed[0].price").hasMessageContaining("hermes[BTC]");
    String noExpo = "{\"parsed\":[{\"id\":\"" + BTC + "\",\"price\":{\"price\":\"1\",\"conf\":\"1\",\"expo\":\"x\",\"publish_time\":1}}]}";
    assertThatThrownBy(() -> PriceUpdates.parse(noExpo, FEEDS, "s")).hasMessageContaining("expo");
    assertThatThrownBy(() -> PriceUpdates.parse("{\"binary\":{}}", FEEDS, "s")).hasMessageContaining("parsed");
    assertThatThrownBy(() -> PriceUpdates.parse("not json", FEEDS, "s")).isInstanceOf(PayloadDecodeException.class);
  }
}
