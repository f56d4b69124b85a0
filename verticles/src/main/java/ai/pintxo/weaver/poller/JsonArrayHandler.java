package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;

/**
 * A handler for responses that are a JSON array of items, either bare or inside an envelope field
 * ({@code {"data": [...]}}). The array is read as a stream ({@link StreamingArrayReader}): each item
 * is bound with the strict mapper as soon as it is complete, an item that does not fit is reported
 * with its index and field, the others are kept, and a body that is not complete JSON is reported
 * as a whole.
 *
 * @param <T> the record type
 */
public abstract class JsonArrayHandler<T extends Keyed> implements ApiHandler<T> {

  private final String dataType;
  private final Topic<T> topic;
  private final String envelopeField;

  /**
   * @param dataType      the endpoints file's data type
   * @param topic         where the records go
   * @param envelopeField the field holding the array, or null when the response is the array
   */
  protected JsonArrayHandler(String dataType, Topic<T> topic, String envelopeField) {
    this.dataType = dataType;
    this.topic = topic;
    this.envelopeField = envelopeField;
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
    return new StreamingArrayReader<>(topic.type(), envelopeField, source);
  }
}
