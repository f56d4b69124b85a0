package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Vespa's document selection language the emulator evaluates for test-and-set
 * ({@code condition=}): one comparison of a field of the document type with a literal,
 * {@code <type>.<field> <op> <literal>} with {@code ==, !=, <, <=, >, >=} and a number, a quoted string,
 * {@code true}, {@code false} or {@code null}. Anything else is refused with 400 naming the emulator,
 * rather than being ignored: a condition that was silently true would hide a 412 Vespa gives.
 */
record Selection(String type, String field, String op, JsonNode literal) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMPARISON = Pattern.compile(
      "\\s*([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*(==|!=|<=|>=|<|>)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|true|false|null)\\s*");

  /** @throws IllegalArgumentException when the selection is outside the subset */
  static Selection parse(String selection) {
    Matcher m = COMPARISON.matcher(selection);
    if (!m.matches()) {
      throw new IllegalArgumentException("condition '" + selection + "' is not supported by the Vespa emulator (only <type>.<field> "
          + "==|!=|<|<=|>|>= <number|\"string\"|true|false|null>)");
    }
    try {
      return new Selection(m.group(1), m.group(2), m.group(3), JSON.readTree(m.group(4)));
    } catch (IOException e) {
      throw new IllegalArgumentException("condition '" + selection + "': bad literal " + m.group(4), e);
    }
  }

  /** @return whether the document matches; a selection naming another document type matches nothing, as in Vespa */
  boolean matches(String documentType, JsonNode fields) {
    if (!type.equals(documentType)) {
      return false;
    }
    JsonNode value = fields.get(field);
    if (value == null || value.isNull() || literal.isNull()) {
      boolean bothNull = (value == null || value.isNull()) && literal.isNull();
      return op.equals("==") ? bothNull : op.equals("!=") && !bothNull;
    }
    int order;
    if (literal.isNumber()) {
      if (!value.isNumber() && !isNumeric(value.asText())) {
        return op.equals("!=");
      }
      order = new BigDecimal(value.asText()).compareTo(literal.decimalValue());
    } else {
      order = value.asText().compareTo(literal.asText());
    }
    return switch (op) {
      case "==" -> order == 0;
      case "!=" -> order != 0;
      case "<" -> order < 0;
      case "<=" -> order <= 0;
      case ">" -> order > 0;
      default -> order >= 0;
    };
  }

  private static boolean isNumeric(String text) {
    try {
      new BigDecimal(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
