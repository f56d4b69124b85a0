package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decoding with Jackson's fast number parsers: every double exactly as the JDK parses it. */
class FastNumberDecodingTest {

  private static byte[] protocol(String tvl, String change) {
    return ("{\"id\":\"1\",\"name\":\"Uniswap V3\",\"chains\":[\"Ethereum\",\"Base\"],\"tvl\":" + tvl
        + ",\"chainTvls\":{\"Ethereum\":" + tvl + ",\"Base\":0.5},\"change_1h\":" + change + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void doublesAreTheJdksDoubles() {
    Random random = new Random(15);
    for (int i = 0; i < 2_000; i++) {
      double any = Double.longBitsToDouble(random.nextLong());
      String tvl = Double.toString(Double.isFinite(any) ? any : random.nextDouble());
      String change = Double.toString(random.nextGaussian() * 100);
      byte[] json = protocol(tvl, change);
      Protocol decoded = Protocol.TOPIC.decode(json, 3, i);
      assertThat(decoded.tvl()).isEqualTo(Double.parseDouble(tvl));
      assertThat(decoded.change1h()).isEqualTo(Double.parseDouble(change));
    }
    for (String text : List.of("1.7976931348623157E308", "4.9E-324", "0.1", "123456789012345678901234567890", "2.2250738585072011e-308")) {
      assertThat(Protocol.TOPIC.decode(protocol(text, "1"), 0, 0).tvl()).as(text).isEqualTo(Double.parseDouble(text));
    }
  }
}
