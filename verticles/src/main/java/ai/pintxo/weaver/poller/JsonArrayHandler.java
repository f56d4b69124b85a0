package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.declared.DeclaredRecord;
import ai.pintxo.weaver.connector.RecordShape;

/**
 * The handler of responses that are a JSON array of items, either bare or inside an envelope field
 * ({@code {"data": [...]}}): what a configured endpoint gets (a record class or declared fields, and
 * {@code recordsAt}), with no class of its own. The array is read as a stream
 * ({@link StreamingArrayReader}): each item is bound ({@link ItemBinder}) as soon as it is complete,
 * an item that does not fit is reported with its index and field, the others are kept, and a body
 * that is not complete JSON is reported as a whole.
 *
 * @param <T> the record type
 */
public final class JsonArrayHandler<T extends Keyed> implements ApiHandler<T> {

  /** A data type's records go to {@code <dataType>-api-topic}, as in the original. */
  public static final String TOPIC_SUFFIX = "-api-topic";

  private final String dataType;
  private final Topic<T> topic;
  private final String envelopeField;
  private final ItemBinder<T> binder;

  /**
   * @param dataType      the endpoint's data type
   * @param topic         where the records go
   * @param envelopeField the field holding the array, or null when the response is the array
   * @param binder        reads one item into a record
   */
  public JsonArrayHandler(String dataType, Topic<T> topic, String envelopeField, ItemBinder<T> binder) {
    this.dataType = dataType;
    this.topic = topic;
    this.envelopeField = envelopeField;
    this.binder = binder;
  }

  /**
   * @param dataType      the data type; records go to {@code <dataType>-api-topic}
   * @param shape         a record class or declared fields
   * @param envelopeField the field holding the array, or null when the response is the array
   * @return the handler of an endpoint configured with that shape
   */
  public static JsonArrayHandler<?> of(String dataType, RecordShape shape, String envelopeField) {
    Topic<? extends Keyed> topic = shape.topic(dataType + TOPIC_SUFFIX);
    if (shape.schema() != null) {
      @SuppressWarnings("unchecked")
      Topic<DeclaredRecord> declared = (Topic<DeclaredRecord>) topic;
      return new JsonArrayHandler<>(dataType, declared, envelopeField, ItemBinder.of(shape.schema()));
    }
    return ofClass(dataType, topic, envelopeField);
  }

  private static <T extends Keyed> JsonArrayHandler<T> ofClass(String dataType, Topic<T> topic, String envelopeField) {
    return new JsonArrayHandler<>(dataType, topic, envelopeField, ItemBinder.of(topic.type()));
  }

  @Override
  public String dataType() {
    return dataType;
  }

  @Override
  public Topic<T> topic() {
    return topic;
  }

  @Override
  public ResponseReader<T> reader(String source) {
    return new StreamingArrayReader<>(binder, envelopeField, source);
  }
}
