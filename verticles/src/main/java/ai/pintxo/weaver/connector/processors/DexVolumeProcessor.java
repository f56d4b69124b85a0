package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;

/** {@code volumes-api-topic} → Vespa {@code dex_volume}, id = defillamaId. */
public final class DexVolumeProcessor extends ProtocolOverviewProcessor {

  public DexVolumeProcessor() {
    super(ProtocolOverview.VOLUMES_TOPIC, "dex_volume");
  }
}
