package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code stablecoins}: DefiLlama stablecoins, {"peggedAssets": [...], "chains": [...]}. */
public final class StablecoinsHandler extends JsonArrayHandler<Stablecoin> {

  public StablecoinsHandler() {
    super("stablecoins", Stablecoin.TOPIC, "peggedAssets");
  }
}
