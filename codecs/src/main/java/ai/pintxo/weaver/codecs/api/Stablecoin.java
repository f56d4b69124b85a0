package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A pegged asset of DefiLlama's {@code stablecoins?includePrices=true}; Vespa document type
 * {@code stablecoin}, id {@code id}.
 */
public record Stablecoin(
    String id,
    String name,
    String symbol,
    @JsonProperty("gecko_id") String geckoId,
    String pegType,
    String priceSource,
    String pegMechanism,
    PeggedAmounts circulating,
    PeggedAmounts circulatingPrevDay,
    PeggedAmounts circulatingPrevWeek,
    PeggedAmounts circulatingPrevMonth,
    Map<String, ChainCirculation> chainCirculating,
    List<String> chains,
    Double price) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Stablecoin> TOPIC = Topic.json("stablecoins-api-topic", Stablecoin.class);

  public Stablecoin {
    Fields.requireText(id, "id");
    chainCirculating = Fields.copyOrNull(chainCirculating, "chainCirculating");
    chains = Fields.copyOrNull(chains, "chains");
  }

  @Override
  public String key() {
    return id;
  }

  /**
   * Circulation of one asset on one chain.
   *
   * @param current              now
   * @param circulatingPrevDay   a day ago
   * @param circulatingPrevWeek  a week ago
   * @param circulatingPrevMonth a month ago
   */
  public record ChainCirculation(
      PeggedAmounts current,
      PeggedAmounts circulatingPrevDay,
      PeggedAmounts circulatingPrevWeek,
      PeggedAmounts circulatingPrevMonth) {
  }
}
