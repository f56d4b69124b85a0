package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.JsonSerde;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler for responses that are a JSON array of items, either bare or inside an envelope field
 * ({@code {"data": [...]}}). Items are read one at a time with the strict mapper: an item that does
 * not fit is reported with its index and field, the others are kept. The response must be complete
 * JSON: a truncated body is rejected as a whole rather than half-fed.
 *
 * @param <T> the record type
 */
public abstract class JsonArrayHandler<T extends Keyed> implements ApiHandler<T> {

  private final String dataType;
  private final Topic<T> topic;
  private final String envelopeField;
  private final ObjectReader reader;
  /** Reads one item of the array as a tree; the trailing-token check belongs to whole documents. */
  private final ObjectReader itemReader = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * @param dataType      the endpoints file's data type
   * @param topic         where the records go
   * @param envelopeField the field holding the array, or null when the response is the array
   */
  protected JsonArrayHandler(String dataType, Topic<T> topic, String envelopeField) {
    this.dataType = dataType;
    this.topic = topic;
    this.envelopeField = envelopeField;
    this.reader = Json.mapper().readerFor(topic.type());
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
  public ParsedResponse<T> parse(byte[] body, String source) {
    List<T> records = new ArrayList<>();
    List<ParsedResponse.ItemFailure> failures = new ArrayList<>();
    RecordOrigin origin = RecordOrigin.source(source);
    try (JsonParser parser = Json.mapper().createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new PayloadDecodeException(origin, null, "empty response", null);
      }
      if (envelopeField != null) {
        expect(parser, first, JsonToken.START_OBJECT, origin);
        if (!seekField(parser)) {
          throw new PayloadDecodeException(origin, envelopeField, "response object has no '" + envelopeField + "' array", null);
        }
        expect(parser, parser.nextToken(), JsonToken.START_ARRAY, origin);
      } else {
        expect(parser, first, JsonToken.START_ARRAY, origin);
      }
      int index = 0;
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), index++) {
        if (t == null) {
          throw new PayloadDecodeException(origin, null, "response ends inside the array", null);
        }
        JsonNode item = itemReader.readTree(parser);
        try {
          records.add(reader.treeToValue(item, topic.type()));
        } catch (JacksonException e) {
          String field = envelopeField == null ? "[" + index + "]" : envelopeField + "[" + index + "]";
          PayloadDecodeException error = JsonSerde.describe(e, origin, topic.type());
          failures.add(new ParsedResponse.ItemFailure(index, item.toString().getBytes(StandardCharsets.UTF_8),
              new PayloadDecodeException(origin, field + error.field().map(f -> "." + f).orElse(""), error.reason(), e)));
        }
      }
      if (envelopeField != null) {
        parser.skipChildren();
        while (parser.nextToken() != null) {
          parser.skipChildren(); // read to the end, so a truncated envelope is noticed
        }
      } else if (parser.nextToken() != null) {
        throw new PayloadDecodeException(origin, null, "unexpected content after the array", null);
      }
    } catch (JacksonException e) {
      throw new PayloadDecodeException(origin, null, "response is not complete JSON: " + firstLine(e.getOriginalMessage())
          + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset())
          + "; it starts with '" + preview(body) + "'", e);
    } catch (IOException e) {
      throw new PayloadDecodeException(origin, null, e.getMessage(), e);
    }
    return new ParsedResponse<>(records, failures);
  }

  private boolean seekField(JsonParser parser) throws IOException {
    for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
      if (envelopeField.equals(parser.currentName())) {
        return true;
      }
      parser.nextToken();
      parser.skipChildren();
    }
    return false;
  }

  private void expect(JsonParser parser, JsonToken actual, JsonToken expected, RecordOrigin origin) {
    if (actual != expected) {
      throw new PayloadDecodeException(origin, envelopeField,
          "expected " + (expected == JsonToken.START_ARRAY ? "an array" : "an object") + ", got " + actual, null);
    }
  }

  private static String preview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return body.length > 60 ? s + "…" : s;
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }
}
