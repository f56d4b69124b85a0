package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import java.util.List;

/**
 * A yield pool of DefiLlama's {@code yields.llama.fi/pools} (predictions, poolMeta, mu, sigma,
 * count, outlier, apyBaseInception and il7d dropped); Vespa document type {@code pool}, id {@code pool}.
 */
public record Pool(
    String chain,
    String project,
    String symbol,
    Double tvlUsd,
    Double apyBase,
    Double apyReward,
    Double apy,
    List<String> rewardTokens,
    String pool,
    Double apyPct1D,
    Double apyPct7D,
    Double apyPct30D,
    Boolean stablecoin,
    String ilRisk,
    String exposure,
    List<String> underlyingTokens,
    Double apyBase7d,
    Double apyMean30d,
    Double volumeUsd1d,
    Double volumeUsd7d) implements Keyed {

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
