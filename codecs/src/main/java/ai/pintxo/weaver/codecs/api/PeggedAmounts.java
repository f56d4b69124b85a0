package ai.pintxo.weaver.codecs.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Amounts per peg type ({@code peggedUSD → 1.2e11}). DefiLlama writes a bare {@code 0} instead of
 * an object when it has no figure for a period; that reads as no amounts and is written back as
 * {@code 0}, so the payload keeps the source's shape.
 *
 * @param byPegType peg type → amount, in source order
 * @param bareZero  whether the source wrote a bare {@code 0}
 */
@JsonDeserialize(using = PeggedAmounts.Reader.class)
@JsonSerialize(using = PeggedAmounts.Writer.class)
public record PeggedAmounts(Map<String, Double> byPegType, boolean bareZero) {

  /** The bare {@code 0} of a period without figures. */
  public static final PeggedAmounts ZERO = new PeggedAmounts(Map.of(), true);

  public PeggedAmounts {
    byPegType = Collections.unmodifiableMap(new LinkedHashMap<>(byPegType));
    if (bareZero && !byPegType.isEmpty()) {
      throw new IllegalArgumentException("a bare zero has no amounts");
    }
  }

  /** @return amounts per peg type */
  public static PeggedAmounts of(Map<String, Double> byPegType) {
    return new PeggedAmounts(byPegType, false);
  }

  static final class Reader extends JsonDeserializer<PeggedAmounts> {

    @Override
    public PeggedAmounts deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        if (p.getDoubleValue() != 0) {
          return (PeggedAmounts) ctxt.handleUnexpectedToken(PeggedAmounts.class, p);
        }
        return ZERO;
      }
      if (token != JsonToken.START_OBJECT) {
        return (PeggedAmounts) ctxt.handleUnexpectedToken(PeggedAmounts.class, p);
      }
      Map<String, Double> amounts = new LinkedHashMap<>();
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
          ctxt.reportInputMismatch(Double.class, "field '%s': expected number, got %s", key, value);
        }
        amounts.put(key, p.getDoubleValue());
      }
      return of(amounts);
    }
  }

  static final class Writer extends JsonSerializer<PeggedAmounts> {

    @Override
    public void serialize(PeggedAmounts value, JsonGenerator json, SerializerProvider provider) throws IOException {
      if (value.bareZero()) {
        json.writeNumber(0);
        return;
      }
      json.writeStartObject();
      for (Map.Entry<String, Double> e : value.byPegType().entrySet()) {
        json.writeNumberField(e.getKey(), e.getValue());
      }
      json.writeEndObject();
    }
  }
}
