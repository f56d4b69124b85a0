package ai.pintxo.weaver.codecs.vespa;

import ai.pintxo.weaver.codecs.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the request body of an operation in Vespa's document JSON format: {@code {"fields":{…}}},
 * with {@code {"assign": v}} per field for updates. A remove has no body.
 */
public final class DocumentJson {

  private DocumentJson() {
  }

  /**
   * @param operation the operation
   * @return the UTF-8 JSON body, empty for a remove
   */
  public static byte[] body(DocumentOperation operation) {
    if (operation instanceof DocumentRemove) {
      return new byte[0];
    }
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName("fields");
      json.writeStartObject();
      if (operation instanceof DocumentUpdate update) {
        for (Map.Entry<String, FieldValue> field : update.assigns().entrySet()) {
          json.writeFieldName(field.getKey());
          json.writeStartObject();
          json.writeFieldName("assign");
          field.getValue().writeTo(json);
          json.writeEndObject();
        }
      } else if (operation instanceof DocumentPut put) {
        for (Map.Entry<String, FieldValue> field : put.fields().entrySet()) {
          json.writeFieldName(field.getKey());
          field.getValue().writeTo(json);
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
