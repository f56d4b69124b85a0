package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A pool of GeckoTerminal's {@code /networks/<network>/new_pools} (JSON:API), with its
 * relationships resolved from {@code included}: the base and quote token and the DEX. GeckoTerminal
 * sends amounts as decimal strings; they are kept exact here. Vespa document type {@code new_pool},
 * id {@code id} ({@code <network>_<address>}).
 *
 * @param id                    the resource id, {@code <network>_<address>}
 * @param network               the network, the part of the id before the first underscore
 * @param address               the pool's contract address
 * @param name                  e.g. {@code "WETH / USDC 0.05%"}
 * @param poolCreatedAt         ISO-8601 creation time
 * @param baseTokenPriceUsd     price of the base token in USD
 * @param quoteTokenPriceUsd    price of the quote token in USD
 * @param fdvUsd                fully diluted valuation of the base token
 * @param marketCapUsd          market cap of the base token, when known
 * @param reserveInUsd          liquidity of the pool in USD
 * @param volumeUsd             window ({@code m5}, {@code h1}, {@code h6}, {@code h24}) → traded volume in USD
 * @param priceChangePercentage window → price change in percent
 * @param baseToken             the base token
 * @param quoteToken            the quote token
 * @param dexId                 the DEX's resource id, e.g. {@code syncswap}
 * @param dexName               the DEX's name, when included
 */
public record GeckoPool(
    String id,
    String network,
    String address,
    String name,
    String poolCreatedAt,
    BigDecimal baseTokenPriceUsd,
    BigDecimal quoteTokenPriceUsd,
    BigDecimal fdvUsd,
    BigDecimal marketCapUsd,
    BigDecimal reserveInUsd,
    Map<String, BigDecimal> volumeUsd,
    Map<String, BigDecimal> priceChangePercentage,
    GeckoToken baseToken,
    GeckoToken quoteToken,
    String dexId,
    String dexName) implements Keyed {

  /** Data type {@code new_pools_zksync}: new pools on zkSync Era. */
  public static final Topic<GeckoPool> NEW_POOLS_ZKSYNC_TOPIC = Topic.json("new_pools_zksync-api-topic", GeckoPool.class);

  public GeckoPool {
    Fields.requireText(id, "id");
    Fields.requireText(address, "address");
    volumeUsd = Fields.copyOrNull(volumeUsd, "volumeUsd");
    priceChangePercentage = Fields.copyOrNull(priceChangePercentage, "priceChangePercentage");
  }

  @Override
  public String key() {
    return id;
  }
}
