package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/**
 * {@code pools-api-topic} → Vespa {@code pool}, id = pool uuid. Null numbers are written as 0, as in
 * the original; the token lists are written as arrays (the original wrote fields that did not exist,
 * so Vespa never held them).
 */
public final class PoolProcessor implements DocumentProcessor<Pool> {

  @Override
  public Topic<Pool> topic() {
    return Pool.TOPIC;
  }

  @Override
  public String documentType() {
    return "pool";
  }

  @Override
  public DocumentOperation process(Pool p) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), p.pool()))
        .assign("chain", p.chain())
        .assign("project", p.project())
        .assign("symbol", p.symbol())
        .assign("tvlUsd", zero(p.tvlUsd()))
        .assign("apyBase", zero(p.apyBase()))
        .assign("apyReward", zero(p.apyReward()))
        .assign("apy", zero(p.apy()))
        .assign("rewardTokens", p.rewardTokens())
        .assign("pool", p.pool())
        .assign("apyPct1D", zero(p.apyPct1D()))
        .assign("apyPct7D", zero(p.apyPct7D()))
        .assign("apyPct30D", zero(p.apyPct30D()))
        .assign("stablecoin", p.stablecoin())
        .assign("ilRisk", p.ilRisk())
        .assign("exposure", p.exposure())
        .assign("underlyingTokens", p.underlyingTokens())
        .assign("apyBase7d", zero(p.apyBase7d()))
        .assign("apyMean30d", zero(p.apyMean30d()))
        .assign("volumeUsd1d", zero(p.volumeUsd1d()))
        .assign("volumeUsd7d", zero(p.volumeUsd7d()))
        .build();
  }

  private static Double zero(Double value) {
    return value == null ? 0.0 : value;
  }
}
