package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.codecs.JsonSerde;
import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * From an event's JSON to typed records: the value at {@code recordsAt} (the whole message by
 * default; an array gives one record per element) is read into the record class with the shared
 * strict mapper, so a wrong type is an error naming the field. Messages without
 * {@code requiredField} are control messages (subscription acknowledgements, heartbeats) and map to
 * nothing. Shared by every source that types JSON by a configured record class (the real-time
 * streams, the HTTP ingest source), so their records decode, and fail, the same way.
 *
 * @param <T> the record class
 */
public final class RecordMapping<T extends Keyed> {

  private final Topic<T> topic;
  private final JsonPointer recordsAt;
  private final JsonPointer requiredField;

  private RecordMapping(Topic<T> topic, JsonPointer recordsAt, JsonPointer requiredField) {
    this.topic = topic;
    this.recordsAt = recordsAt;
    this.requiredField = requiredField;
  }

  /**
   * @param recordClass   a record class implementing {@link Keyed}, by name
   * @param requiredField a JSON pointer, or null
   * @throws IllegalArgumentException when the class is missing or not a keyed record, or a pointer is malformed
   */
  public static RecordMapping<?> of(String topic, String recordClass, String recordsAt, String requiredField) {
    Class<?> type;
    try {
      type = Class.forName(recordClass, true, RecordMapping.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + recordClass + "' not found on the classpath");
    }
    if (!type.isRecord() || !Keyed.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("'" + recordClass + "' must be a record implementing " + Keyed.class.getName()
          + " (its key() is the Kafka key and the Vespa document id)");
    }
    return create(topic, type.asSubclass(Keyed.class), recordsAt, requiredField);
  }

  private static <T extends Keyed> RecordMapping<T> create(String topic, Class<T> type, String recordsAt, String requiredField) {
    try {
      return new RecordMapping<>(Topic.json(topic, type), JsonPointer.compile(recordsAt == null ? "" : recordsAt),
          requiredField == null ? null : JsonPointer.compile(requiredField));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a JSON pointer: " + e.getMessage());
    }
  }

  public Topic<T> topic() {
    return topic;
  }

  /**
   * @param data   the event's data
   * @param source the stream, for errors
   * @return the records in it; empty for a control message
   * @throws PayloadDecodeException when the data is not JSON or does not fit the record
   */
  public List<T> map(String data, String source) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(data);
    } catch (IOException e) {
      throw new PayloadDecodeException(RecordOrigin.source(source), null, "not JSON: " + ai.pintxo.weaver.config.JsonErrors.describe(e), e);
    }
    if (root == null || (requiredField != null && root.at(requiredField).isMissingNode())) {
      return List.of();
    }
    JsonNode at = root.at(recordsAt);
    if (at.isMissingNode()) {
      throw new PayloadDecodeException(RecordOrigin.source(source), recordsAt.toString(), "missing", null);
    }
    List<T> out = new ArrayList<>();
    if (at.isArray()) {
      for (JsonNode element : at) {
        out.add(read(element, source));
      }
    } else {
      out.add(read(at, source));
    }
    return out;
  }

  /**
   * @param node   one record's JSON
   * @param source the source, for errors
   * @return the record
   * @throws PayloadDecodeException when the JSON does not fit the record, naming the field
   */
  public T read(JsonNode node, String source) {
    try {
      return Json.mapper().treeToValue(node, topic.type());
    } catch (JacksonException e) {
      throw JsonSerde.describe(e, RecordOrigin.source(source), topic.type());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new PayloadDecodeException(RecordOrigin.source(source), null, e.getMessage(), e);
    }
  }
}
