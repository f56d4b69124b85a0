package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A chain of DefiLlama's {@code /v2/chains}; Vespa document type {@code chain}, id {@code name}.
 * Everything but the name may be null in real data.
 */
public record Chain(
    @JsonProperty("gecko_id") @VespaField(name = "gecko_id") String geckoId,
    Double tvl,
    String tokenSymbol,
    @VespaField(ifNull = "") String cmcId,
    String name,
    Long chainId) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Chain> TOPIC = Topic.json("chains-api-topic", Chain.class);

  public Chain {
    Fields.requireText(name, "name");
  }

  @Override
  public String key() {
    return name;
  }
}
