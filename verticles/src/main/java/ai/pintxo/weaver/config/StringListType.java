package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** A list of strings: a JSON array, or comma-separated text. */
final class StringListType implements OptionType<List<String>> {


  @Override
  public List<String> parse(Object raw, String key) {
    List<String> out = new ArrayList<>();
    if (raw instanceof String s) {
      String trimmed = s.trim();
      if (trimmed.startsWith("[")) {
        try {
          return parse(new JsonArray(trimmed), key);
        } catch (io.vertx.core.json.DecodeException e) {
          throw new ConfigException(key, "not a JSON array: " + e.getMessage());
        }
      }
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return out;
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException(key, "expected an array of strings, got " + OptionTypes.describeValue(raw));
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw new ConfigException(key + "[" + i + "]", "expected a string, got " + OptionTypes.describeValue(array.getValue(i)));
      }
      out.add(s);
    }
    return out;
  }

  @Override
  public Object toJson(List<String> value) {
    return new JsonArray(new ArrayList<>(value));
  }

  @Override
  public List<String> copy(List<String> value) {
    return new ArrayList<>(value);
  }

  @Override
  public String describe() {
    return "list of strings";
  }

  @Override
  public boolean mutable() {
    return true;
  }
}
