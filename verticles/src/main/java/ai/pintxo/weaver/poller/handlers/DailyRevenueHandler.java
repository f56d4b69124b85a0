package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code daily_revenue}. DefiLlama revenue, {@code api.llama.fi/overview/fees?dataType=dailyRevenue}, {"protocols": [...], "allChains": [...], "total24h": ...}. */
public final class DailyRevenueHandler extends JsonArrayHandler<ProtocolOverview> {

  public DailyRevenueHandler() {
    super("daily_revenue", ProtocolOverview.DAILY_REVENUE_TOPIC, "protocols");
  }
}
