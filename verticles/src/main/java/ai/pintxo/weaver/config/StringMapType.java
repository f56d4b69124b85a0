package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** An object of string values (numbers and booleans are taken as their text). */
final class StringMapType implements OptionType<Map<String, String>> {


  @Override
  public Map<String, String> parse(Object raw, String key) {
    if (!(raw instanceof JsonObject o)) {
      throw new ConfigException(key, "expected an object of string values, got " + OptionTypes.describeValue(raw));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      Object value = e.getValue();
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new ConfigException(key + "." + e.getKey(), "expected a string, got " + OptionTypes.describeValue(value));
      }
      out.put(e.getKey(), String.valueOf(value));
    }
    return out;
  }

  @Override
  public Object toJson(Map<String, String> value) {
    JsonObject json = new JsonObject();
    value.forEach(json::put);
    return json;
  }

  @Override
  public Map<String, String> copy(Map<String, String> value) {
    return new LinkedHashMap<>(value);
  }

  @Override
  public String describe() {
    return "object of strings";
  }

  @Override
  public boolean mutable() {
    return true;
  }
}
