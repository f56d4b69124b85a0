package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code chains}: DefiLlama /v2/chains, a bare array. */
public final class ChainsHandler extends JsonArrayHandler<Chain> {

  public ChainsHandler() {
    super("chains", Chain.TOPIC, null);
  }
}
