package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds strategies by name through {@code ServiceLoader}. */
final class Strategies {

  /** The strategy used when a config names none: every output as protobuf JSON. */
  public static final String DEFAULT = "JsonStrategy";

  private Strategies() {
  }

  /** @return the names of the strategies on the class path */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (SubstreamsStrategy<?> s : load()) {
      out.add(s.name());
    }
    return out;
  }

  /**
   * @param name a strategy name
   * @return a new instance
   * @throws IllegalArgumentException naming the known strategies when there is none of that name
   */
  public static SubstreamsStrategy<?> create(String name) {
    for (SubstreamsStrategy<?> s : load()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no Substreams strategy named '" + name + "' (known: " + String.join(", ", names()) + ")");
  }

  /**
   * @param strategy  the strategy
   * @param topicName the topic its records go to
   * @return the strategy with its typed topic
   */
  public static <T extends Keyed> Bound<T> bind(SubstreamsStrategy<T> strategy, String topicName) {
    return new Bound<>(strategy, Topic.json(topicName, strategy.recordType()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Iterable<SubstreamsStrategy<?>> load() {
    return (Iterable) ServiceLoader.load(SubstreamsStrategy.class, Strategies.class.getClassLoader());
  }

  /**
   * A strategy and the topic of its records, so that records are encoded with their own type.
   *
   * @param strategy the strategy
   * @param topic    its topic
   * @param <T>      the record type
   */
  public record Bound<T extends Keyed>(SubstreamsStrategy<T> strategy, Topic<T> topic) {

    /** @return each record of the block as key and value bytes */
    public List<EncodedRecord> encode(BlockInfo block, com.google.protobuf.Message output) {
      List<T> records = strategy.map(block, output);
      List<EncodedRecord> out = new ArrayList<>(records.size());
      for (T r : records) {
        out.add(new EncodedRecord(topic.keySerde().encode(r.key()), topic.encode(r)));
      }
      return out;
    }
  }
}
