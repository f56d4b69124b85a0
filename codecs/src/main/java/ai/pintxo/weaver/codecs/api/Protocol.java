package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A DefiLlama protocol ({@code /protocols}) with the fields the original kept (logo, audits,
 * methodology and the other bulky fields are dropped); Vespa document type {@code protocol}, id {@code name}.
 */
public record Protocol(
    String id,
    String name,
    String address,
    String symbol,
    String url,
    String description,
    String chain,
    @JsonProperty("gecko_id") @VespaField(name = "gecko_id") String geckoId,
    @VespaField(ifNull = "") String cmcId,
    String category,
    List<String> chains,
    String twitter,
    Double tvl,
    Map<String, Double> chainTvls,
    @JsonProperty("change_1h") @VespaField(name = "change_1h") Double change1h,
    @JsonProperty("change_1d") @VespaField(name = "change_1d") Double change1d,
    @JsonProperty("change_7d") @VespaField(name = "change_7d") Double change7d,
    Double mcap) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Protocol> TOPIC = Topic.json("protocols-api-topic", Protocol.class);

  public Protocol {
    Fields.requireText(name, "name");
    chains = Fields.copyOrNull(chains, "chains");
    chainTvls = Fields.copyOrNull(chainTvls, "chainTvls");
  }

  @Override
  public String key() {
    return name;
  }
}
