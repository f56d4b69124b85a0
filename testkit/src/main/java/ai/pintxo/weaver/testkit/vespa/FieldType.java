package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A field type of a Vespa schema, parsed from its {@code .sd} spelling, with the value check the
 * container applies when it reads document JSON: scalars are read from their text (so {@code "42"}
 * is a valid int, {@code "abc"} is not), collections must have the right JSON shape.
 */
abstract class FieldType {

  final String name;

  private FieldType(String name) {
    this.name = name;
  }

  /**
   * @param spelling the type as written in the schema, e.g. {@code array<string>}
   * @return the type
   * @throws IllegalArgumentException for a type the emulator does not know
   */
  static FieldType parse(String spelling) {
    String s = spelling.replace(" ", "");
    if (s.startsWith("array<") && s.endsWith(">")) {
      return new Collection(s, parse(s.substring(6, s.length() - 1)), false);
    }
    if (s.startsWith("weightedset<") && s.endsWith(">")) {
      return new Collection(s, parse(s.substring(12, s.length() - 1)), true);
    }
    if (s.startsWith("map<") && s.endsWith(">")) {
      String inner = s.substring(4, s.length() - 1);
      int comma = inner.indexOf(',');
      return new MapType(s, parse(inner.substring(0, comma)), parse(inner.substring(comma + 1)));
    }
    return switch (s) {
      case "string", "uri" -> new Scalar(s, Kind.STRING);
      case "int" -> new Scalar(s, Kind.INT);
      case "long" -> new Scalar(s, Kind.LONG);
      case "byte" -> new Scalar(s, Kind.BYTE);
      case "double", "float" -> new Scalar(s, Kind.DOUBLE);
      case "bool" -> new Scalar(s, Kind.BOOL);
      default -> {
        if (s.startsWith("tensor") || s.startsWith("reference<") || s.equals("position") || s.equals("raw")) {
          yield new Opaque(s);
        }
        throw new IllegalArgumentException("unsupported field type '" + spelling + "'");
      }
    };
  }

  /**
   * Checks a value read from document JSON.
   *
   * @return null when the value fits, else the reason (Vespa's wording)
   */
  abstract String check(JsonNode value);

  /**
   * The value as Vespa keeps and renders it once {@link #check} passed: the container converts what it
   * reads to the field's type, so {@code "42"} written to a long comes back as {@code 42} and {@code 42}
   * written to a string as {@code "42"}.
   */
  abstract JsonNode normalize(JsonNode value);

  private enum Kind { STRING, INT, LONG, BYTE, DOUBLE, BOOL }

  private static final class Scalar extends FieldType {
    private final Kind kind;

    Scalar(String name, Kind kind) {
      super(name);
      this.kind = kind;
    }

    @Override
    String check(JsonNode value) {
      if (value.isContainerNode()) {
        return "Expected a " + name + " value, got " + (value.isArray() ? "an array" : "an object");
      }
      String text = value.asText();
      try {
        switch (kind) {
          case STRING -> {
            return null;
          }
          case INT -> Integer.parseInt(text);
          case LONG -> Long.parseLong(text);
          case BYTE -> Byte.parseByte(text);
          case DOUBLE -> {
            if (text.isEmpty() || Character.isWhitespace(text.charAt(0))) {
              throw new NumberFormatException("For input string: \"" + text + "\"");
            }
            Double.parseDouble(text);
          }
          case BOOL -> {
            if (!value.isBoolean() && !"true".equals(text) && !"false".equals(text)) {
              return "Could not parse '" + text + "' as a bool";
            }
          }
          default -> throw new IllegalStateException();
        }
        return null;
      } catch (NumberFormatException e) {
        return e.getMessage();
      }
    }

    @Override
    JsonNode normalize(JsonNode value) {
      String text = value.asText();
      return switch (kind) {
        case STRING -> value.isTextual() ? value : TextNode.valueOf(text);
        case INT, BYTE -> IntNode.valueOf(Integer.parseInt(text));
        case LONG -> LongNode.valueOf(Long.parseLong(text));
        case DOUBLE -> DoubleNode.valueOf(Double.parseDouble(text));
        case BOOL -> BooleanNode.valueOf(value.isBoolean() ? value.booleanValue() : Boolean.parseBoolean(text));
      };
    }
  }

  private static final class Collection extends FieldType {
    private final FieldType element;
    private final boolean weighted;

    Collection(String name, FieldType element, boolean weighted) {
      super(name);
      this.element = element;
      this.weighted = weighted;
    }

    @Override
    String check(JsonNode value) {
      if (weighted) {
        if (!value.isObject()) {
          return "Expected object for weighted set, got " + value.getNodeType();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().canConvertToInt()) {
            return "Weight of '" + e.getKey() + "' is not an int";
          }
        }
        return null;
      }
      if (!value.isArray()) {
        return "Expected start of array, got " + value.getNodeType();
      }
      for (JsonNode item : value) {
        String problem = element.check(item);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }

    @Override
    JsonNode normalize(JsonNode value) {
      if (weighted) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        value.fields().forEachRemaining(e -> out.set(e.getKey(), IntNode.valueOf(e.getValue().asInt())));
        return out;
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> out.add(element.normalize(item)));
      return out;
    }
  }

  private static final class MapType extends FieldType {
    private final FieldType key;
    private final FieldType valueType;

    MapType(String name, FieldType key, FieldType valueType) {
      super(name);
      this.key = key;
      this.valueType = valueType;
    }

    @Override
    String check(JsonNode value) {
      if (!value.isObject()) {
        return "Expected start of object for map, got " + value.getNodeType();
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String problem = key.check(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
        if (problem == null) {
          problem = valueType.check(e.getValue());
        }
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }

    @Override
    JsonNode normalize(JsonNode value) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      value.fields().forEachRemaining(e -> out.set(e.getKey(), valueType.normalize(e.getValue())));
      return out;
    }
  }

  /** Types whose values the emulator stores without checking their inner structure. */
  private static final class Opaque extends FieldType {
    Opaque(String name) {
      super(name);
    }

    @Override
    String check(JsonNode value) {
      return null;
    }

    @Override
    JsonNode normalize(JsonNode value) {
      return value;
    }
  }
}
