package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code daily_fees}. DefiLlama fees, {@code api.llama.fi/overview/fees?dataType=dailyFees}, {"protocols": [...], "allChains": [...], "total24h": ...}. */
public final class DailyFeesHandler extends JsonArrayHandler<ProtocolOverview> {

  public DailyFeesHandler() {
    super("daily_fees", ProtocolOverview.DAILY_FEES_TOPIC, "protocols");
  }
}
