package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One protocol of a DefiLlama dimensions overview ({@code /overview/dexs}, {@code /overview/fees}
 * with {@code dataType=dailyFees} or {@code dailyRevenue}): the totals of the measured dimension
 * (volume, fees or revenue) over several windows and their changes. The three endpoints share this
 * shape, so they share the record and differ by topic. Logo, methodology, breakdowns and the other
 * bulky fields are dropped. Vespa document types {@code dex_volume}, {@code daily_fees},
 * {@code daily_revenue}; id {@code defillamaId}.
 */
public record ProtocolOverview(
    String defillamaId,
    String name,
    String displayName,
    String slug,
    String module,
    String category,
    String protocolType,
    String parentProtocol,
    List<String> chains,
    Double total24h,
    Double total48hto24h,
    Double total7d,
    Double total30d,
    Double total1y,
    Double totalAllTime,
    @JsonProperty("change_1d") @VespaField(name = "change_1d") Double change1d,
    @JsonProperty("change_7d") @VespaField(name = "change_7d") Double change7d,
    @JsonProperty("change_1m") @VespaField(name = "change_1m") Double change1m) implements Keyed {

  /** Data type {@code volumes}: DEX volumes. */
  public static final Topic<ProtocolOverview> VOLUMES_TOPIC = Topic.json("volumes-api-topic", ProtocolOverview.class);
  /** Data type {@code daily_fees}: fees paid by users. */
  public static final Topic<ProtocolOverview> DAILY_FEES_TOPIC = Topic.json("daily_fees-api-topic", ProtocolOverview.class);
  /** Data type {@code daily_revenue}: the part of the fees the protocol keeps. */
  public static final Topic<ProtocolOverview> DAILY_REVENUE_TOPIC = Topic.json("daily_revenue-api-topic", ProtocolOverview.class);

  public ProtocolOverview {
    Fields.requireText(defillamaId, "defillamaId");
    Fields.requireText(name, "name");
    chains = Fields.copyOrNull(chains, "chains");
  }

  @Override
  public String key() {
    return defillamaId;
  }
}
