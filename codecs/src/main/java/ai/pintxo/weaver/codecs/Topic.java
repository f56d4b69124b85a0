package ai.pintxo.weaver.codecs;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka topic with the Java type of its records: name plus key and value serde. The one place a
 * topic name is spelled; producers and consumers both refer to the constant.
 *
 * @param <T> the value type
 */
public final class Topic<T> {

  /** Suffix of the dead-letter topic that receives the records of a topic that could not be processed. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private final String name;
  private final Class<T> type;
  private final Serde<String> keySerde;
  private final Serde<T> valueSerde;

  public Topic(String name, Class<T> type, Serde<String> keySerde, Serde<T> valueSerde) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
    this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
  }

  /**
   * @param name the topic name
   * @param type the record type, encoded as JSON
   * @return a topic keyed by string (the Vespa document id) with JSON values
   */
  public static <T> Topic<T> json(String name, Class<T> type) {
    return new Topic<>(name, type, StringSerde.INSTANCE, new JsonSerde<>(type));
  }

  /** @return the topic name */
  public String name() {
    return name;
  }

  /** @return the record type */
  public Class<T> type() {
    return type;
  }

  /** @return the key serde */
  public Serde<String> keySerde() {
    return keySerde;
  }

  /** @return the value serde */
  public Serde<T> valueSerde() {
    return valueSerde;
  }

  /** @return the name of the dead-letter topic of this topic */
  public String deadLetterTopic() {
    return name + DEAD_LETTER_SUFFIX;
  }

  /**
   * Decodes a record value read from this topic.
   *
   * @throws PayloadDecodeException naming topic, partition, offset and field when it does not fit
   */
  public T decode(byte[] value, int partition, long offset) {
    return valueSerde.decode(value, new RecordOrigin(name, partition, offset));
  }

  /** @return the value encoded for this topic */
  public byte[] encode(T value) {
    return valueSerde.encode(value);
  }

  /** @return a Kafka serializer of this topic's values, for plain Kafka clients */
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : valueSerde.encode(value);
  }

  /**
   * A Kafka deserializer of this topic's values. Kafka reports its failures with partition and
   * offset in a {@code RecordDeserializationException}; the weaver's own consumers read bytes and
   * call {@link #decode} instead, so that one bad record cannot block a partition.
   */
  public Deserializer<T> deserializer() {
    return (topic, data) -> data == null ? null : valueSerde.decode(data, RecordOrigin.source(topic));
  }

  /** @return a Vert.x event-bus codec for this topic's values */
  public RecordMessageCodec<T> messageCodec() {
    return new RecordMessageCodec<>(type, valueSerde);
  }

  @Override
  public String toString() {
    return name + "<" + type.getSimpleName() + ">";
  }
}
