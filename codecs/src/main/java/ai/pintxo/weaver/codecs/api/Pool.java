package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import java.util.List;

/**
 * A yield pool of DefiLlama's {@code yields.llama.fi/pools} (predictions, poolMeta, mu, sigma,
 * count, outlier, apyBaseInception and il7d dropped); Vespa document type {@code pool}, id {@code pool}.
 * Absent numbers are written to Vespa as 0, as the original did.
 */
public record Pool(
    String chain,
    String project,
    String symbol,
    @VespaField(ifNull = "0") Double tvlUsd,
    @VespaField(ifNull = "0") Double apyBase,
    @VespaField(ifNull = "0") Double apyReward,
    @VespaField(ifNull = "0") Double apy,
    List<String> rewardTokens,
    String pool,
    @VespaField(ifNull = "0") Double apyPct1D,
    @VespaField(ifNull = "0") Double apyPct7D,
    @VespaField(ifNull = "0") Double apyPct30D,
    Boolean stablecoin,
    String ilRisk,
    String exposure,
    List<String> underlyingTokens,
    @VespaField(ifNull = "0") Double apyBase7d,
    @VespaField(ifNull = "0") Double apyMean30d,
    @VespaField(ifNull = "0") Double volumeUsd1d,
    @VespaField(ifNull = "0") Double volumeUsd7d) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Pool> TOPIC = Topic.json("pools-api-topic", Pool.class);

  public Pool {
    Fields.requireText(pool, "pool");
    rewardTokens = Fields.copyOrNull(rewardTokens, "rewardTokens");
    underlyingTokens = Fields.copyOrNull(underlyingTokens, "underlyingTokens");
  }

  @Override
  public String key() {
    return pool;
  }
}
