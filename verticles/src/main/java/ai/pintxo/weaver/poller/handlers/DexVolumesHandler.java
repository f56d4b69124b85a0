package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code volumes}. DefiLlama DEX volumes, {@code api.llama.fi/overview/dexs}, {"protocols": [...], "allChains": [...], "total24h": ...}. */
public final class DexVolumesHandler extends JsonArrayHandler<ProtocolOverview> {

  public DexVolumesHandler() {
    super("volumes", ProtocolOverview.VOLUMES_TOPIC, "protocols");
  }
}
