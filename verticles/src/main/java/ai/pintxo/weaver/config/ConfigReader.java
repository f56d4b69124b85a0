package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON config object with typed getters that fail with a {@link ConfigException} naming the
 * full key and the bad value. {@link #finish()} rejects keys nobody asked for, so a typo
 * ({@code endpiont}) fails at start instead of silently falling back to a default.
 */
public final class ConfigReader {

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();

  private ConfigReader(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  /**
   * @param json the object, null reads as empty
   * @param path its key in the whole configuration, for messages
   */
  public static ConfigReader of(JsonObject json, String path) {
    return new ConfigReader(json, path);
  }

  /** @return the full key of a field of this object */
  public String key(String field) {
    return path == null || path.isEmpty() ? field : path + "." + field;
  }

  /** @return a copy of the whole object, read or not */
  public JsonObject raw() {
    return json.copy();
  }

  /** @return this object's path */
  public String path() {
    return path;
  }

  private Object raw(String field) {
    known.add(field);
    return json.getValue(field);
  }

  /** @return whether the field is present and not null */
  public boolean has(String field) {
    known.add(field);
    return json.getValue(field) != null;
  }

  /** @return a string, or {@code def} when absent */
  public String string(String field, String def) {
    Object v = raw(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(key(field), "expected a string, got " + describe(v));
    }
    return s;
  }

  /** @return a non-blank string */
  public String requiredString(String field) {
    String s = string(field, null);
    if (s == null || s.isBlank()) {
      throw new ConfigException(key(field), "is required");
    }
    return s;
  }

  /** @return an int within [min, max], or {@code def} when absent */
  public int integer(String field, int def, int min, int max) {
    long v = longValue(field, def, min, max);
    return (int) v;
  }

  /** @return a long within [min, max], or {@code def} when absent */
  public long longValue(String field, long def, long min, long max) {
    Object v = raw(field);
    if (v == null) {
      return def;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("-?\\d+")) {
      n = Long.parseLong(s.trim());
    } else {
      throw new ConfigException(key(field), "expected an integer, got " + describe(v));
    }
    if (n < min || n > max) {
      throw new ConfigException(key(field), "must be within [" + min + ", " + max + "], was " + n);
    }
    return n;
  }

  /** @return a boolean, or {@code def} when absent */
  public boolean bool(String field, boolean def) {
    Object v = raw(field);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key(field), "expected true or false, got " + describe(v));
  }

  /** @return a positive duration, or {@code def} when absent */
  public Duration duration(String field, Duration def) {
    Object v = raw(field);
    if (v == null) {
      return def;
    }
    Duration d;
    if (v instanceof Number n) {
      d = Duration.ofMillis(n.longValue());
    } else if (v instanceof String s) {
      try {
        d = Durations.parse(s);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key(field), e.getMessage());
      }
    } else {
      throw new ConfigException(key(field), "expected a duration such as \"30s\", got " + describe(v));
    }
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(key(field), "must be positive, was " + v);
    }
    return d;
  }

  /** @return an absolute http(s) URL, or {@code def} when absent */
  public String httpUrl(String field, String def) {
    String s = string(field, def);
    if (s == null) {
      return null;
    }
    try {
      URI uri = new URI(s);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(key(field), "must be an absolute http:// or https:// URL, was '" + s + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(key(field), "is not a URL: " + e.getMessage());
    }
    return s;
  }

  /** @return a list of strings, or {@code def} when absent; a comma-separated string is accepted too */
  public List<String> strings(String field, List<String> def) {
    Object v = raw(field);
    if (v == null) {
      return def;
    }
    List<String> out = new ArrayList<>();
    if (v instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return out;
    }
    if (!(v instanceof JsonArray array)) {
      throw new ConfigException(key(field), "expected an array of strings, got " + describe(v));
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw new ConfigException(key(field) + "[" + i + "]", "expected a string, got " + describe(array.getValue(i)));
      }
      out.add(s);
    }
    return out;
  }

  /** @return an object of string values, empty when absent */
  public Map<String, String> stringMap(String field) {
    Object v = raw(field);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof JsonObject o)) {
      throw new ConfigException(key(field), "expected an object of string values, got " + describe(v));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      Object value = e.getValue();
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new ConfigException(key(field) + "." + e.getKey(), "expected a string, got " + describe(value));
      }
      out.put(e.getKey(), String.valueOf(value));
    }
    return Collections.unmodifiableMap(out);
  }

  /** @return a reader of a nested object (empty when absent) */
  public ConfigReader object(String field) {
    Object v = raw(field);
    if (v != null && !(v instanceof JsonObject)) {
      throw new ConfigException(key(field), "expected an object, got " + describe(v));
    }
    return new ConfigReader((JsonObject) v, key(field));
  }

  /** @return readers of an array of objects, empty when absent */
  public List<ConfigReader> objects(String field) {
    Object v = raw(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray array)) {
      throw new ConfigException(key(field), "expected an array of objects, got " + describe(v));
    }
    List<ConfigReader> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(key(field) + "[" + i + "]", "expected an object, got " + describe(array.getValue(i)));
      }
      out.add(new ConfigReader(o, key(field) + "[" + i + "]"));
    }
    return out;
  }

  /**
   * Rejects the keys no getter read.
   *
   * @throws ConfigException naming the first unknown key and the known ones
   */
  public void finish() {
    for (String field : json.fieldNames()) {
      if (!known.contains(field)) {
        throw new ConfigException(key(field), "unknown key (known keys: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "string \"" + s + "\"";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray) {
      return "an array";
    }
    return v.getClass().getSimpleName().toLowerCase() + " " + v;
  }
}
