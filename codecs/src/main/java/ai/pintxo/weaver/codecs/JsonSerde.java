package ai.pintxo.weaver.codecs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;

/**
 * JSON serde for a record type, on the shared strict {@link Json#mapper()}.
 *
 * @param <T> the record type
 */
public final class JsonSerde<T> implements Serde<T> {

  private final Class<T> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  /** Jackson's bytes without Jackson, for the plain records written at the pipelines' full rate; null: Jackson. */
  private final RecordJsonEncoder<T> direct;

  public JsonSerde(Class<T> type) {
    this.type = type;
    // Jackson's fast number parsers: JDK 17's Double.parseDouble (its slow path for 16–17 digit values) was a
    // quarter of the connector's decoding (issue 15); the fast parser makes the same, correctly rounded, double.
    this.reader = Json.mapper().readerFor(type).with(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .with(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER);
    this.writer = Json.mapper().writerFor(type);
    this.direct = RecordJsonEncoder.forType(type, Json.mapper()).orElse(null);
  }

  /** @return the record type */
  public Class<T> type() {
    return type;
  }

  @Override
  public byte[] encode(T value) {
    if (direct != null && value != null) {
      byte[] bytes = direct.encode(value);
      if (bytes != null) {
        return bytes;
      }
    }
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public T decode(byte[] bytes, RecordOrigin origin) {
    if (bytes == null || bytes.length == 0) {
      throw new PayloadDecodeException(origin, null, "empty payload, expected a JSON " + type.getSimpleName(), null);
    }
    try {
      return reader.readValue(bytes);
    } catch (JacksonException e) {
      throw describe(e, origin, type);
    } catch (IOException e) {
      throw new PayloadDecodeException(origin, null, e.getMessage(), e);
    }
  }

  /**
   * Turns a Jackson failure into a decode error naming the field and what was wrong with it.
   *
   * @param e      the failure
   * @param origin where the input came from
   * @param type   the type being read
   * @return the error to throw
   */
  public static PayloadDecodeException describe(JacksonException e, RecordOrigin origin, Class<?> type) {
    if (e instanceof JsonMappingException mapping) {
      String field = path(mapping);
      if (e instanceof ValueInstantiationException && e.getCause() != null) {
        return new PayloadDecodeException(origin, field, e.getCause().getMessage(), e);
      }
      if (e instanceof InvalidFormatException invalid) {
        String got = invalid.getValue() instanceof String text ? "string \"" + abbreviate(text) + "\"" : String.valueOf(invalid.getValue());
        return new PayloadDecodeException(origin, field, "expected " + typeName(invalid.getTargetType()) + ", got " + got, e);
      }
      if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && fieldAbsent(mismatch)) {
        // A primitive creator property with no value: Jackson reports it at the object's end, which read as "got object".
        return new PayloadDecodeException(origin, field, "missing, expected " + typeName(mismatch.getTargetType()), e);
      }
      if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return new PayloadDecodeException(origin, field, "expected " + typeName(mismatch.getTargetType())
            + ", got " + token(mismatch), e);
      }
      return new PayloadDecodeException(origin, field, firstLine(e.getOriginalMessage()), e);
    }
    return new PayloadDecodeException(origin, null, "not valid JSON for " + type.getSimpleName() + ": "
        + firstLine(e.getOriginalMessage()) + location(e), e);
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** @return whether the parser had left the object when the value was asked for: the field was not there */
  private static boolean fieldAbsent(MismatchedInputException e) {
    return e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser
        && parser.currentToken() == com.fasterxml.jackson.core.JsonToken.END_OBJECT;
  }

  private static String token(MismatchedInputException e) {
    if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser && parser.currentToken() != null) {
      return switch (parser.currentToken()) {
        case VALUE_STRING -> "string";
        case VALUE_NUMBER_INT -> "integer";
        case VALUE_NUMBER_FLOAT -> "decimal number";
        case VALUE_TRUE, VALUE_FALSE -> "boolean";
        case VALUE_NULL -> "null";
        case START_OBJECT, FIELD_NAME, END_OBJECT -> "object";
        case START_ARRAY, END_ARRAY -> "array";
        default -> parser.currentToken().asString();
      };
    }
    return "a value of another type";
  }

  private static String typeName(Class<?> type) {
    if (type == String.class) {
      return "string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "number (" + type.getSimpleName() + ")";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean";
    }
    if (java.util.List.class.isAssignableFrom(type) || type.isArray()) {
      return "array";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "object (" + type.getSimpleName() + ")";
    }
    return type.getSimpleName();
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static String location(JacksonException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
