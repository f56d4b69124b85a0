package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The field update operations of the document JSON format that the emulator applies. */
final class FieldOperations {

  private FieldOperations() {
  }

  /** @return null when the operation is valid for the field type, else the reason */
  static String check(String operation, JsonNode argument, FieldType type) {
    switch (operation) {
      case "assign" -> {
        return argument.isNull() ? null : type.check(argument);
      }
      case "increment", "decrement", "multiply", "divide" -> {
        return argument.isNumber() ? null : "Operation '" + operation + "' needs a number, got " + argument.getNodeType();
      }
      case "add", "remove" -> {
        return argument.isArray() || argument.isObject() ? null : "Operation '" + operation + "' needs an array or object";
      }
      default -> {
        return "Unknown field update operation '" + operation + "'";
      }
    }
  }

  static void apply(ObjectNode document, String field, JsonNode operations) {
    operations.fields().forEachRemaining(op -> applyOne(document, field, op.getKey(), op.getValue()));
  }

  private static void applyOne(ObjectNode document, String field, String operation, JsonNode argument) {
    switch (operation) {
      case "assign" -> {
        if (argument.isNull() || (argument.isContainerNode() && argument.isEmpty()) || (argument.isTextual() && argument.asText().isEmpty())) {
          document.remove(field);
        } else {
          document.set(field, argument.deepCopy());
        }
      }
      case "increment", "decrement", "multiply", "divide" -> {
        JsonNode current = document.get(field);
        double base = current == null ? 0 : current.asDouble();
        double arg = argument.asDouble();
        double result = switch (operation) {
          case "increment" -> base + arg;
          case "decrement" -> base - arg;
          case "multiply" -> base * arg;
          default -> base / arg;
        };
        boolean integral = (current == null || current.isIntegralNumber()) && argument.isIntegralNumber() && !operation.equals("divide");
        document.set(field, integral ? LongNode.valueOf((long) result) : DoubleNode.valueOf(result));
      }
      case "add" -> {
        JsonNode current = document.get(field);
        if (argument.isArray()) {
          ArrayNode target = current instanceof ArrayNode a ? a : document.putArray(field);
          argument.forEach(v -> target.add(v.deepCopy()));
        } else {
          ObjectNode target = current instanceof ObjectNode o ? o : document.putObject(field);
          argument.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
        }
      }
      case "remove" -> {
        JsonNode current = document.get(field);
        if (current instanceof ArrayNode array) {
          for (JsonNode gone : argument) {
            for (int i = array.size() - 1; i >= 0; i--) {
              if (array.get(i).equals(gone)) {
                array.remove(i);
              }
            }
          }
        } else if (current instanceof ObjectNode object) {
          if (argument.isArray()) {
            argument.forEach(k -> object.remove(k.asText()));
          } else {
            argument.fieldNames().forEachRemaining(object::remove);
          }
        }
      }
      default -> throw new IllegalArgumentException(operation);
    }
  }
}
