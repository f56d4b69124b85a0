package ai.pintxo.weaver.codecs.substreams;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;

/**
 * One Seaport metric of the original {@code pintxo-seaport} substream, as its {@code SeaportStrategy}
 * built it from a {@code Metric {key, value}}. Vespa document type {@code metric}, id {@code id}.
 *
 * @param id            {@code Opensea_Seaport:} + the key without its {@code seaport_} prefix; required
 * @param value         the metric value as the module wrote it (text)
 * @param token         the coin symbol of the key's {@code token=} part, or the address when unknown; may be null
 * @param name          the name of the key's other {@code k=v} part, without {@code seaport_}; may be null
 * @param interval      {@code hour} or {@code minute}, from the key; may be null
 * @param intervalValue the value of the interval part; may be null
 */
public record PintxoMetric(String id, String value, String token, String name, String interval, String intervalValue) implements Keyed {

  /** The topic of the original substreams service for the {@code pintxo-seaport} entry. */
  public static final Topic<PintxoMetric> TOPIC = Topic.json("pintxo-seaport-substreams-topic", PintxoMetric.class);

  public PintxoMetric {
    Fields.requireText(id, "id");
  }

  @Override
  public String key() {
    return id;
  }
}
