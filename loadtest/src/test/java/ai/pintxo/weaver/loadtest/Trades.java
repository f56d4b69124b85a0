package ai.pintxo.weaver.loadtest;

import java.util.concurrent.ThreadLocalRandom;

/** Request bodies of the {@code trades} stream: JSON arrays of Binance-shaped trades, as a webhook would post them. */
final class Trades {

  /** Distinct symbols of the load simulations: upserts over a realistic key space, not one document per record. */
  static final int SYMBOLS = 5_000;

  private Trades() {
  }

  /** @return a JSON array of {@code n} trades of random symbols */
  static String randomBatch(int n) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder out = new StringBuilder(n * 120).append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      append(out, "SYM" + random.nextInt(SYMBOLS), random.nextLong(1, Long.MAX_VALUE));
    }
    return out.append(']').toString();
  }

  /** @return a JSON array of trades whose symbols (document ids) are {@code prefix-first} … {@code prefix-(first+n-1)} */
  static String numberedBatch(String prefix, long first, int n) {
    StringBuilder out = new StringBuilder(n * 120).append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      append(out, prefix + "-" + (first + i), first + i);
    }
    return out.append(']').toString();
  }

  private static void append(StringBuilder out, String symbol, long tradeId) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    out.append("{\"e\":\"trade\",\"s\":\"").append(symbol).append("\",\"t\":").append(tradeId)
        .append(",\"p\":\"").append(random.nextInt(1, 70_000)).append('.').append(random.nextInt(10, 99))
        .append("\",\"q\":\"0.").append(random.nextInt(100, 999)).append("\",\"T\":").append(System.currentTimeMillis())
        .append(",\"m\":").append(random.nextBoolean()).append('}');
  }
}
