package ai.pintxo.weaver.codecs.vespa;

/**
 * Writes numbers of the document JSON straight into a {@link JsonBytes}, digit by digit, with no
 * {@code String} in between: the feeder's profile (issue 15) had a third of its JSON encoding in
 * {@code Long.toString} and Jackson's double formatting under {@code JsonBytes.number}.
 *
 * <p>Doubles: a value that is a short decimal (at most {@link #MAX_FRACTION_DIGITS} digits after
 * the point, under 2^53 once scaled; prices, amounts, ratios) is written as that decimal, found
 * with the fewest fraction digits whose value reads back as exactly the same double; everything
 * else (very small, very large, 16–17 significant digits) goes through Jackson's Schubfach, the
 * shortest representation. Either way the text reads back as the same double. Integral values
 * keep Java's {@code .0} ({@code 2.0}); values of 10^7 and over in Java's scientific notation
 * ({@code 1.5E9}). The text is the one Jackson's Schubfach writes (tested), only cheaper to make.
 */
public final class JsonNumbers {

  /** Beyond this many fraction digits the search costs more than Schubfach. */
  static final int MAX_FRACTION_DIGITS = 9;
  private static final double TWO_POW_53 = 9007199254740992.0;
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  private static final long[] LONG_POW10 = new long[19];

  static {
    LONG_POW10[0] = 1;
    for (int i = 1; i < LONG_POW10.length; i++) {
      LONG_POW10[i] = LONG_POW10[i - 1] * 10;
    }
  }

  private JsonNumbers() {
  }

  /** Writes a long in decimal. */
  public static JsonBytes write(JsonBytes out, long value) {
    return out.number(value);
  }

  /** Writes a finite double so that it reads back as the same double (see the class comment). */
  public static JsonBytes write(JsonBytes out, double value) {
    double magnitude = Math.abs(value);
    if (magnitude < TWO_POW_53 && magnitude >= 1e-3 && mayBeShort(magnitude)) {
      for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
        double scaled = magnitude * POW10[k];
        if (scaled >= TWO_POW_53) {
          break;
        }
        long m = (long) Math.rint(scaled);
        // m and 10^k are exact doubles, so m / 10^k is the double nearest the decimal m·10^-k: the one
        // any correct JSON reader makes of that text. Equal to the value: the text reads back exactly.
        if (m / POW10[k] == magnitude) {
          if (value < 0) {
            out.raw('-');
          }
          return magnitude >= 1e7 ? scientific(out, m, k) : decimal(out, m, k);
        }
      }
    } else if (value == 0) {
      return out.raw(1 / value < 0 ? "-0.0" : "0.0");
    }
    return out.raw(com.fasterxml.jackson.core.io.NumberOutput.toString(value, true));
  }

  /**
   * A cheap filter before the search: a value within {@link #MAX_FRACTION_DIGITS} digits of a decimal
   * d·10^-9 is, once scaled by 10^9, within 1.5 ulp of the integer d (half an ulp of the value, times
   * 10^9 &lt; 2^30, is at most one ulp of the scaled value; the product's rounding adds half). A value
   * with 16–17 significant digits (most computed ratios) is rejected here with one multiplication
   * instead of ten rounds of the search.
   */
  private static boolean mayBeShort(double magnitude) {
    double scaled = magnitude * POW10[MAX_FRACTION_DIGITS];
    return scaled >= TWO_POW_53 || Math.abs(scaled - Math.rint(scaled)) <= 2 * Math.ulp(scaled);
  }

  /** {@code m·10^-k} in plain notation, with at least one digit after the point. */
  private static JsonBytes decimal(JsonBytes out, long m, int k) {
    if (k == 0) {
      return write(out, m).raw('.').raw('0');
    }
    long unit = LONG_POW10[k];
    long whole = m / unit;
    long fraction = m - whole * unit;
    write(out, whole).raw('.');
    int zeros = k;
    while (fraction % 10 == 0) { // k was the fewest digits, so the last one is not 0; kept as a guard
      fraction /= 10;
      zeros--;
      if (zeros == 0) {
        return out.raw('0');
      }
    }
    int shown = digitCount(fraction);
    for (int i = shown; i < zeros; i++) {
      out.raw('0');
    }
    return fraction <= Integer.MAX_VALUE ? digits(out, (int) fraction, shown) : write(out, fraction);
  }

  /**
   * {@code m·10^-k} as Java writes values of 10^7 and over: {@code 1.5E9}, {@code 3.91194207197E9}
   * (shorter on the wire, and the text the writer made before).
   */
  private static JsonBytes scientific(JsonBytes out, long m, int k) {
    while (m % 10 == 0) {
      m /= 10;
      k--;
    }
    int length = digitCount(m);
    long unit = LONG_POW10[length - 1];
    long first = m / unit;
    long rest = m - first * unit;
    out.raw((char) ('0' + first)).raw('.');
    if (length == 1) {
      out.raw('0');
    } else {
      for (int i = digitCount(rest); i < length - 1; i++) {
        out.raw('0');
      }
      write(out, rest);
    }
    return write(out.raw('E'), (long) (length - 1 - k));
  }

  /** Writes exactly {@code count} digits of a non-negative int, with leading zeros. */
  private static JsonBytes digits(JsonBytes out, int value, int count) {
    int divisor = (int) LONG_POW10[count - 1];
    for (int i = 0; i < count; i++) {
      int d = value / divisor;
      out.raw((char) ('0' + d));
      value -= d * divisor;
      divisor /= 10;
    }
    return out;
  }

  private static int digitCount(int value) {
    int n = 1;
    while (n < 10 && value >= LONG_POW10[n]) {
      n++;
    }
    return n;
  }

  private static int digitCount(long value) {
    int n = 1;
    while (n < 19 && value >= LONG_POW10[n]) {
      n++;
    }
    return n;
  }
}
