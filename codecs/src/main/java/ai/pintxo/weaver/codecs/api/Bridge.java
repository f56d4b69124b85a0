package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import java.util.List;

/**
 * A bridge of DefiLlama's {@code bridges?includeChains=true} ({@code icon} and
 * {@code destinationChain} dropped); Vespa document type {@code bridge}, id {@code id}.
 */
public record Bridge(
    Long id,
    String name,
    @VespaField(ifNull = "") String displayName,
    Double volumePrevDay,
    Double volumePrev2Day,
    Double lastHourlyVolume,
    Double currentDayVolume,
    Double lastDailyVolume,
    Double dayBeforeLastVolume,
    Double weeklyVolume,
    Double monthlyVolume,
    List<String> chains) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Bridge> TOPIC = Topic.json("bridges-api-topic", Bridge.class);

  public Bridge {
    Fields.require(id, "id");
    chains = Fields.copyOrNull(chains, "chains");
  }

  @Override
  public String key() {
    return Long.toString(id);
  }
}
