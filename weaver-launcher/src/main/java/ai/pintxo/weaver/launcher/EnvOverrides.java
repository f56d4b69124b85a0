package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Overrides deployment-file values from environment variables, by one rule:
 *
 * <pre>WEAVER_ + the key path, each key in UPPER_SNAKE_CASE, keys joined by a double underscore</pre>
 *
 * {@code kafka.bootstrapServers} is {@code WEAVER_KAFKA__BOOTSTRAP_SERVERS}; in the {@code verticles}
 * list an entry is addressed by its {@code name}: {@code verticles[engine-connector].config.vespa.endpoint}
 * is {@code WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT}. A key the file does not
 * hold is added (UPPER_SNAKE turned back into camelCase; inside a {@code properties} map into
 * dotted Kafka names: {@code …__PROPERTIES__SASL_MECHANISM} is {@code sasl.mechanism}). Values
 * take the type of the value they replace; lists may be JSON or comma-separated. Variables without
 * a double underscore ({@code WEAVER_OPTS}) are not overrides.
 */
public final class EnvOverrides {

  /** Prefix of override variables. */
  public static final String PREFIX = "WEAVER_";

  private EnvOverrides() {
  }

  /**
   * @param root the deployment tree, changed in place
   * @param env  the environment
   * @return the names of the variables applied (values are never reported: they may be secrets)
   * @throws ConfigException naming the variable when its path cannot be followed
   */
  public static List<String> apply(JsonObject root, Map<String, String> env) {
    List<String> applied = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!isOverride(name)) {
        continue;
      }
      apply(root, name, name.substring(PREFIX.length()).split("__"), e.getValue());
      applied.add(name);
    }
    return applied;
  }

  /** @return whether an environment variable is an override ({@code WEAVER_} and a double underscore) */
  static boolean isOverride(String name) {
    return name.startsWith(PREFIX) && name.contains("__");
  }

  private static void apply(JsonObject root, String variable, String[] segments, String value) {
    Object node = root;
    boolean inProperties = false;
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.isEmpty()) {
        throw new ConfigException(variable, "empty key in the path (three underscores in a row?)");
      }
      if (node instanceof JsonObject object) {
        String key = existingKey(object, segment);
        if (key == null) {
          key = inProperties ? segment.toLowerCase().replace('_', '.') : camelCase(segment);
        }
        if (last) {
          object.put(key, convert(object.getValue(key), value, variable));
          return;
        }
        Object child = object.getValue(key);
        if (child == null) {
          child = new JsonObject();
          object.put(key, child);
        }
        inProperties = key.equals("properties");
        node = child;
      } else if (node instanceof JsonArray array) {
        JsonObject element = element(array, segment);
        if (element == null) {
          throw new ConfigException(variable, "no list entry named '" + segment + "' (entries are addressed by their name in UPPER_SNAKE_CASE: "
              + entryNames(array) + ")");
        }
        if (last) {
          throw new ConfigException(variable, "cannot replace a whole list entry; name one of its keys");
        }
        node = element;
      } else {
        throw new ConfigException(variable, "'" + segment + "' is inside a value that is not an object");
      }
    }
  }

  private static String existingKey(JsonObject object, String segment) {
    for (String key : object.fieldNames()) {
      if (upperSnake(key).equals(segment)) {
        return key;
      }
    }
    return null;
  }

  /** @return the names a variable can address the list's entries by, for the message of a typo */
  private static String entryNames(JsonArray array) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      names.add(array.getValue(i) instanceof JsonObject o && o.getValue("name") instanceof String s ? upperSnake(s) : Integer.toString(i));
    }
    return names.isEmpty() ? "the list is empty" : String.join(", ", names);
  }

  private static JsonObject element(JsonArray array, String segment) {
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof JsonObject o) {
        String name = o.getValue("name") instanceof String s ? s : null;
        if ((name != null && upperSnake(name).equals(segment)) || segment.equals(Integer.toString(i))) {
          return o;
        }
      }
    }
    return null;
  }

  private static Object convert(Object current, String text, String variable) {
    String t = text.trim();
    if (current instanceof Boolean) {
      if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(t);
      }
      return text;
    }
    if (current instanceof Number) {
      if (t.matches("-?\\d+")) {
        return Long.parseLong(t);
      }
      if (t.matches("-?\\d*\\.\\d+([eE][-+]?\\d+)?")) {
        return Double.parseDouble(t);
      }
      return text;
    }
    if (current instanceof JsonArray || (current == null && t.startsWith("["))) {
      if (t.startsWith("[")) {
        try {
          return new JsonArray(t);
        } catch (RuntimeException e) {
          throw new ConfigException(variable, "not a JSON array: " + e.getMessage());
        }
      }
      JsonArray list = new JsonArray();
      for (String part : t.split(",")) {
        if (!part.isBlank()) {
          list.add(part.trim());
        }
      }
      return list;
    }
    if (current instanceof JsonObject || (current == null && t.startsWith("{"))) {
      try {
        return new JsonObject(t);
      } catch (RuntimeException e) {
        throw new ConfigException(variable, "expected a JSON object: " + e.getMessage());
      }
    }
    return text;
  }

  /** @return {@code bootstrapServers} → {@code BOOTSTRAP_SERVERS}, {@code engine-connector} → {@code ENGINE_CONNECTOR} */
  public static String upperSnake(String key) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(key.charAt(i - 1)) || Character.isDigit(key.charAt(i - 1)))) {
        out.append('_');
      }
      out.append(c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
    }
    return out.toString();
  }

  /** @return {@code BOOTSTRAP_SERVERS} → {@code bootstrapServers} */
  static String camelCase(String segment) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : segment.toLowerCase().toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
