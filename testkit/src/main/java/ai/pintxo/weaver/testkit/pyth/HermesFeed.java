package ai.pintxo.weaver.testkit.pyth;

/**
 * A feed the Hermes emulator serves.
 *
 * @param id     64 lower-case hex digits
 * @param symbol e.g. {@code Crypto.BTC/USD}
 * @param base   e.g. {@code BTC}
 * @param quote  e.g. {@code USD}
 */
public record HermesFeed(String id, String symbol, String base, String quote) {
}
