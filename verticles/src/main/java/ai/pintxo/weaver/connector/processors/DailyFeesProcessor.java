package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;

/** {@code daily_fees-api-topic} → Vespa {@code daily_fees}, id = defillamaId. */
public final class DailyFeesProcessor extends ProtocolOverviewProcessor {

  public DailyFeesProcessor() {
    super(ProtocolOverview.DAILY_FEES_TOPIC, "daily_fees");
  }
}
