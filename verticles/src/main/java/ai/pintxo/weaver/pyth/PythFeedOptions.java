package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;

/** One entry of the original feed list: {@code {"id": "0x…", "symbol": "Crypto.BTC/USD"}}. */
final class PythFeedOptions extends Options<PythFeedOptions> {

  public static final OptionSpec<PythFeedOptions> SPEC = new OptionSpec<>("feeds[]", "One Pyth price feed", PythFeedOptions::new);
  static final Option<String> ID = SPEC.required("id", OptionTypes.nonBlank(), "the feed id, 64 hex digits (0x optional)");
  static final Option<String> SYMBOL = SPEC.option("symbol", OptionTypes.string(), "", "e.g. Crypto.BTC/USD; its base (BTC) names the Vespa document");
  static final Option<java.time.Duration> MAX_STALENESS = SPEC.optional("maxStaleness", OptionTypes.durationOrZero(),
      "this feed's staleness bound (0 = never stale); default: the pipeline's maxStaleness");

  public PythFeedOptions() {
    super(SPEC);
  }

  public PythFeedOptions(String id, String symbol) {
    this();
    set(ID, id);
    set(SYMBOL, symbol == null ? "" : symbol);
  }

  public String getId() {
    return get(ID);
  }

  public String getSymbol() {
    return get(SYMBOL);
  }

  /** @return this feed's own staleness bound, or null for the pipeline's */
  public java.time.Duration getMaxStaleness() {
    return get(MAX_STALENESS);
  }

  public PythFeedOptions setMaxStaleness(java.time.Duration maxStaleness) {
    return set(MAX_STALENESS, maxStaleness);
  }
}
