package ai.pintxo.weaver.codecs.pyth;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import java.math.BigDecimal;

/**
 * A Pyth price update from Hermes, with prices and confidences as exact decimals: Hermes sends
 * 64-bit integers as strings and an exponent, and {@code 6123456789012 × 10^-8} is
 * {@code 61234.56789012}, not the nearest double. Vespa document type {@code price}, id
 * {@code base} (the original keyed prices by the product's base symbol, e.g. {@code BTC}).
 *
 * @param feedId      the feed id, 64 lower-case hex digits without {@code 0x}
 * @param symbol      the feed's symbol, e.g. {@code Crypto.BTC/USD}
 * @param base        the base asset, e.g. {@code BTC}
 * @param price       price × 10^expo
 * @param conf        confidence interval × 10^expo
 * @param expo        the exponent
 * @param publishTime publish time, Unix seconds
 * @param emaPrice    exponential moving average price × 10^expo
 * @param emaConf     its confidence × 10^expo
 * @param stale       the feed's latest publish time is older than its staleness bound: written again, marked, when no
 *                    newer update came in time (records written before this field decode as not stale)
 */
public record PythPrice(String feedId, String symbol, String base, BigDecimal price, BigDecimal conf, int expo, long publishTime,
                        BigDecimal emaPrice, BigDecimal emaConf, Boolean stale) implements Keyed {

  /** The topic of the original Pyth service. */
  public static final Topic<PythPrice> TOPIC = Topic.json("pyth-price-topic", PythPrice.class);

  public PythPrice {
    Fields.requireText(feedId, "feedId");
    Fields.requireText(base, "base");
    Fields.require(price, "price");
    stale = stale != null && stale;
  }

  /** A fresh update, as Hermes sends it. */
  public PythPrice(String feedId, String symbol, String base, BigDecimal price, BigDecimal conf, int expo, long publishTime,
                   BigDecimal emaPrice, BigDecimal emaConf) {
    this(feedId, symbol, base, price, conf, expo, publishTime, emaPrice, emaConf, false);
  }

  /** @return this price marked stale (or fresh) */
  public PythPrice withStale(boolean stale) {
    return new PythPrice(feedId, symbol, base, price, conf, expo, publishTime, emaPrice, emaConf, stale);
  }

  @Override
  public String key() {
    return base;
  }

  /**
   * @param integer  a 64-bit integer as Hermes writes it, in a string
   * @param expo     the exponent
   * @return {@code integer × 10^expo}, exact
   * @throws NumberFormatException when the string is not an integer
   */
  public static BigDecimal scale(String integer, int expo) {
    return new BigDecimal(new java.math.BigInteger(integer), -expo);
  }
}
