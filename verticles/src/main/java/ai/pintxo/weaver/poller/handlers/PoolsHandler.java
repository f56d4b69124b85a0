package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code pools}: DefiLlama yields pools, {"status": "success", "data": [...]}. */
public final class PoolsHandler extends JsonArrayHandler<Pool> {

  public PoolsHandler() {
    super("pools", Pool.TOPIC, "data");
  }
}
