package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.codecs.api.GeckoToken;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code new_pools_zksync-api-topic} → Vespa {@code new_pool}, id = GeckoTerminal pool id
 * ({@code <network>_<address>}). The resolved tokens and DEX are flattened into
 * {@code base_token_*}, {@code quote_token_*} and {@code dex_*} fields, so a query can filter on a
 * token symbol without a join. Exact decimals become doubles, what Vespa ranks and filters on.
 */
public final class NewPoolProcessor implements DocumentProcessor<GeckoPool> {

  @Override
  public Topic<GeckoPool> topic() {
    return GeckoPool.NEW_POOLS_ZKSYNC_TOPIC;
  }

  @Override
  public String documentType() {
    return "new_pool";
  }

  @Override
  public DocumentOperation process(GeckoPool p) {
    DocumentUpdate.Builder doc = DocumentUpdate.upsert(DocumentId.pintxo(documentType(), p.id()))
        .assign("id", p.id())
        .assign("network", p.network())
        .assign("address", p.address())
        .assign("name", p.name())
        .assign("pool_created_at", p.poolCreatedAt())
        .assign("base_token_price_usd", number(p.baseTokenPriceUsd()))
        .assign("quote_token_price_usd", number(p.quoteTokenPriceUsd()))
        .assign("fdv_usd", number(p.fdvUsd()))
        .assign("market_cap_usd", number(p.marketCapUsd()))
        .assign("reserve_in_usd", number(p.reserveInUsd()))
        .assignMap("volume_usd", numbers(p.volumeUsd()))
        .assignMap("price_change_percentage", numbers(p.priceChangePercentage()))
        .assign("dex_id", p.dexId())
        .assign("dex_name", p.dexName());
    token(doc, "base_token", p.baseToken());
    token(doc, "quote_token", p.quoteToken());
    return doc.build();
  }

  private static void token(DocumentUpdate.Builder doc, String prefix, GeckoToken token) {
    if (token == null) {
      return;
    }
    doc.assign(prefix + "_id", token.id())
        .assign(prefix + "_address", token.address())
        .assign(prefix + "_name", token.name())
        .assign(prefix + "_symbol", token.symbol())
        .assign(prefix + "_decimals", token.decimals() == null ? null : token.decimals().longValue())
        .assign(prefix + "_coingecko_coin_id", token.coingeckoCoinId());
  }

  private static Double number(BigDecimal value) {
    return value == null ? null : value.doubleValue();
  }

  private static Map<String, Double> numbers(Map<String, BigDecimal> values) {
    if (values == null) {
      return null;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.doubleValue()));
    return out;
  }
}
