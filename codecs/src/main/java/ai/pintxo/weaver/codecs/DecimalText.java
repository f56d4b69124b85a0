package ai.pintxo.weaver.codecs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a decimal written as a JSON string ({@code "0.00123"}, as exchanges and Pyth send prices
 * so that no double rounds them) or as a JSON number, exactly. Anything else is an error. Use it on
 * a {@link BigDecimal} record component with {@code @JsonDeserialize(using = DecimalText.class)};
 * the strict shared mapper refuses the string form otherwise.
 */
public final class DecimalText extends StdDeserializer<BigDecimal> {

  public DecimalText() {
    super(BigDecimal.class);
  }

  /**
   * The same rule for a value already read as a tree (declared fields, hand-written handlers).
   *
   * @param v a JSON number or a decimal string
   * @return its exact value
   * @throws IllegalArgumentException naming what was there instead
   */
  public static BigDecimal of(JsonNode v) {
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a decimal, got string \"" + v.asText() + "\"");
      }
    }
    throw new IllegalArgumentException("expected a decimal, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v);
  }

  @Override
  public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDecimalValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = p.getText().trim();
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        return (BigDecimal) ctxt.handleWeirdStringValue(BigDecimal.class, text, "not a decimal number");
      }
    }
    return (BigDecimal) ctxt.handleUnexpectedToken(BigDecimal.class, p);
  }
}
