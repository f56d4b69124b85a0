package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code protocols}: DefiLlama /protocols, a bare array. */
public final class ProtocolsHandler extends JsonArrayHandler<Protocol> {

  public ProtocolsHandler() {
    super("protocols", Protocol.TOPIC, null);
  }
}
