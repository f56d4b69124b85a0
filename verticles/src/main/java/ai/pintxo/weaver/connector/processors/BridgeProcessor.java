package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/** {@code bridges-api-topic} → Vespa {@code bridge}, id = id; {@code displayName} defaults to "" as in the original. */
public final class BridgeProcessor implements DocumentProcessor<Bridge> {

  @Override
  public Topic<Bridge> topic() {
    return Bridge.TOPIC;
  }

  @Override
  public String documentType() {
    return "bridge";
  }

  @Override
  public DocumentOperation process(Bridge b) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), b.key()))
        .assign("id", b.id())
        .assign("name", b.name())
        .assign("displayName", b.displayName() == null ? "" : b.displayName())
        .assign("volumePrevDay", b.volumePrevDay())
        .assign("volumePrev2Day", b.volumePrev2Day())
        .assign("lastHourlyVolume", b.lastHourlyVolume())
        .assign("currentDayVolume", b.currentDayVolume())
        .assign("lastDailyVolume", b.lastDailyVolume())
        .assign("dayBeforeLastVolume", b.dayBeforeLastVolume())
        .assign("weeklyVolume", b.weeklyVolume())
        .assign("monthlyVolume", b.monthlyVolume())
        .assign("chains", b.chains())
        .build();
  }
}
