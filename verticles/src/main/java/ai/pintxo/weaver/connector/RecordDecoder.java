package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.JsonSerde;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Decodes a topic's record values for the connector. For a JSON topic it reads with the shared
 * mapper's reader for the record type (resolved once, same strictness and the same decode errors as
 * {@link JsonSerde}), plus Jackson's fast number parsers: in the connector's profile (issue 15)
 * {@code Double.parseDouble} of JDK 17 was a quarter of decoding (its slow path for 16–17 digit
 * values), and the fast parser makes the same, correctly rounded, double. Other serdes decode as
 * the topic does.
 *
 * @param <T> the record type
 */
final class RecordDecoder<T> {

  private final Topic<T> topic;
  /** Null when the topic's values are not JSON. */
  private final ObjectReader reader;

  RecordDecoder(Topic<T> topic) {
    this.topic = topic;
    this.reader = topic.valueSerde() instanceof JsonSerde<T> json
        ? Json.mapper().readerFor(json.type()).with(StreamReadFeature.USE_FAST_DOUBLE_PARSER).with(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
        : null;
  }

  /** @throws PayloadDecodeException naming topic, partition, offset and field when the value does not fit */
  T decode(byte[] value, int partition, long offset) {
    if (reader == null) {
      return topic.decode(value, partition, offset);
    }
    if (value == null || value.length == 0) {
      return topic.decode(value, partition, offset); // the serde's own message for an empty payload
    }
    try {
      return reader.readValue(value);
    } catch (JacksonException e) {
      throw JsonSerde.describe(e, new RecordOrigin(topic.name(), partition, offset), topic.type());
    } catch (IOException e) {
      throw new PayloadDecodeException(new RecordOrigin(topic.name(), partition, offset), null, e.getMessage(), e);
    }
  }
}
