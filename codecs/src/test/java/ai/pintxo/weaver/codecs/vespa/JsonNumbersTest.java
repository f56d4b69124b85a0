package ai.pintxo.weaver.codecs.vespa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Numbers written digit by digit: valid JSON, and every double reads back as exactly itself. */
class JsonNumbersTest {

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  private static String text(double value) {
    JsonBytes out = new JsonBytes(4);
    JsonNumbers.write(out, value);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }

  private static String text(long value) {
    JsonBytes out = new JsonBytes(2);
    JsonNumbers.write(out, value);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }

  private static void assertReadsBack(double value) {
    String text = text(value);
    assertThat(text).as("JSON number for %s", value).matches(JSON_NUMBER);
    assertThat(Double.doubleToRawLongBits(Double.parseDouble(text))).as("%s read back from %s", value, text)
        .isEqualTo(Double.doubleToRawLongBits(value));
    // the same text the writer made before (Jackson's Schubfach: the shortest), only cheaper to make
    assertThat(text).as("%s", value).isEqualTo(NumberOutput.toString(value, true));
  }

  @Test
  void longsAreWrittenAsJavaWritesThem() {
    long[] values = {0, 1, -1, 9, 10, 99, 100, 12345, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE,
        1_000_000_000L, 1_000_000_001L, 1_733_356_800_123L, 999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    for (long v : values) {
      assertThat(text(v)).isEqualTo(Long.toString(v));
    }
    Random random = new Random(15);
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertThat(text(v)).isEqualTo(Long.toString(v));
    }
  }

  @Test
  void shortDecimalsAreWrittenAsTheyRead() {
    assertThat(text(1.0)).isEqualTo("1.0");
    assertThat(text(0.5)).isEqualTo("0.5");
    assertThat(text(-2.25)).isEqualTo("-2.25");
    assertThat(text(1.005)).isEqualTo("1.005");
    assertThat(text(0.1 + 0.2)).isEqualTo("0.30000000000000004"); // not short: Schubfach's shortest
    assertThat(text(0.0)).isEqualTo("0.0");
    assertThat(text(-0.0)).isEqualTo("-0.0");
    assertThat(text(1234.5678)).isEqualTo("1234.5678");
    assertThat(text(0.001)).isEqualTo("0.001");
    assertThat(text(12_345_678.0)).isEqualTo("1.2345678E7");
    assertThat(text(1.5e9)).isEqualTo("1.5E9");
    assertThat(text(3.91194207197E9)).isEqualTo("3.91194207197E9");
    assertThat(text(1e7)).isEqualTo("1.0E7");
    assertThat(text(9999999.5)).isEqualTo("9999999.5");
    assertThat(text(1e-7)).isEqualTo("1.0E-7");
    assertThat(text(1e300)).isEqualTo("1.0E300");
  }

  @Test
  void everyDoubleReadsBackExactly() {
    double[] edges = {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 9007199254740991.0,
        9007199254740992.0, 9007199254740993.0, 4503599627370495.5, 0.001, 0.000999999, 1e-3 * (1 + 1e-15), 123456789.123456789,
        1.0000000001, 0.999999999, 0.9999999999, 99999999.99999999, 0.1, 0.2, 0.7, 2.675, 1.1e15, 3.14159265358979};
    for (double v : edges) {
      assertReadsBack(v);
      assertReadsBack(-v);
    }
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      // short decimals (prices, amounts, ratios) at every scale, then arbitrary bit patterns
      long mantissa = random.nextLong() % 10_000_000_000L;
      double shortDecimal = mantissa / Math.pow(10, random.nextInt(12));
      assertReadsBack(shortDecimal);
      double any = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(any)) {
        assertReadsBack(any);
      }
      assertReadsBack(random.nextDouble() * Math.pow(10, random.nextInt(20) - 5));
    }
  }
}
