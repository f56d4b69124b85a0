package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code bridges}: DefiLlama bridges, {"bridges": [...]}. */
public final class BridgesHandler extends JsonArrayHandler<Bridge> {

  public BridgesHandler() {
    super("bridges", Bridge.TOPIC, "bridges");
  }
}
