package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;

/** {@code daily_revenue-api-topic} → Vespa {@code daily_revenue}, id = defillamaId. */
public final class DailyRevenueProcessor extends ProtocolOverviewProcessor {

  public DailyRevenueProcessor() {
    super(ProtocolOverview.DAILY_REVENUE_TOPIC, "daily_revenue");
  }
}
