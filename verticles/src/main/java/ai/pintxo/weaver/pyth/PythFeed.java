package ai.pintxo.weaver.pyth;

/**
 * A Pyth price feed to stream.
 *
 * @param id     64 lower-case hex digits, without {@code 0x}
 * @param symbol e.g. {@code Crypto.BTC/USD}
 * @param base   e.g. {@code BTC}, the id of its Vespa {@code price} document
 */
record PythFeed(String id, String symbol, String base) {

  /**
   * @return the base asset of a symbol: {@code Crypto.BTC/USD} → {@code BTC}, {@code POR/USD} →
   *     {@code POR}, {@code Equity.US.AAPL/USD} → {@code AAPL} (the asset class and market come first)
   */
  public static String baseOf(String symbol) {
    int slash = symbol.indexOf('/');
    String pair = slash < 0 ? symbol : symbol.substring(0, slash);
    return pair.substring(pair.lastIndexOf('.') + 1);
  }
}
