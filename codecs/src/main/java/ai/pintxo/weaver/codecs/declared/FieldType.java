package ai.pintxo.weaver.codecs.declared;

import ai.pintxo.weaver.codecs.DecimalText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The value types a configured field may have, each with its one Java type: {@code string} →
 * {@link String}, {@code long} → {@link Long}, {@code double} → {@link Double}, {@code decimal} →
 * {@link BigDecimal} (exact: a decimal string or a number is kept digit for digit), {@code boolean} →
 * {@link Boolean}, {@code array<string>} → {@code List<String>}. A JSON value of another kind is refused
 * with the reason; null or absent is no value.
 */
public enum FieldType {
  STRING("string"),
  LONG("long"),
  DOUBLE("double"),
  DECIMAL("decimal"),
  BOOLEAN("boolean"),
  STRINGS("array<string>");

  private final String configName;

  FieldType(String configName) {
    this.configName = configName;
  }

  /** @return the name configuration uses, e.g. {@code array<string>} */
  public String configName() {
    return configName;
  }

  /**
   * @param name a type name of configuration
   * @throws IllegalArgumentException naming the known types
   */
  public static FieldType named(String name) {
    for (FieldType t : values()) {
      if (t.configName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown type '" + name + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(FieldType::configName).toList()) + ")");
  }

  /**
   * Reads a JSON value as this type.
   *
   * @param v the value, possibly missing or null
   * @return the typed value, null when there is none
   * @throws IllegalArgumentException saying what was expected and what came
   */
  public Object read(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return null;
    }
    switch (this) {
      case STRING -> {
        if (v.isTextual()) {
          return v.asText();
        }
      }
      case LONG -> {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
          return v.longValue();
        }
        if (v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToLong()) {
          return v.longValue();
        }
      }
      case DOUBLE -> {
        if (v.isNumber()) {
          return v.doubleValue();
        }
      }
      case DECIMAL -> {
        if (v.isNumber() || v.isTextual()) {
          return DecimalText.of(v);
        }
      }
      case BOOLEAN -> {
        if (v.isBoolean()) {
          return v.booleanValue();
        }
      }
      case STRINGS -> {
        if (v.isArray()) {
          List<String> out = new ArrayList<>(v.size());
          for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
              throw new IllegalArgumentException("expected array<string>, element " + i + " is " + kind(v.get(i)));
            }
            out.add(v.get(i).asText());
          }
          return List.copyOf(out);
        }
      }
      default -> throw new IllegalStateException(name());
    }
    throw new IllegalArgumentException("expected " + configName + ", got " + kind(v) + " " + abbreviate(v.toString()));
  }

  /** @return the value as JSON, the form {@link #read} reads back to an equal value (decimals as exact strings) */
  JsonNode write(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (this) {
      case STRING -> f.textNode((String) value);
      case LONG -> f.numberNode((Long) value);
      case DOUBLE -> f.numberNode((Double) value);
      case DECIMAL -> f.textNode(((BigDecimal) value).toPlainString());
      case BOOLEAN -> f.booleanNode((Boolean) value);
      case STRINGS -> {
        var array = f.arrayNode();
        ((List<?>) value).forEach(s -> array.add((String) s));
        yield array;
      }
    };
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
