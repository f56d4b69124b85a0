package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A list of nested options, each read with the spec under {@code key[i]}. */
final class NestedListType<N extends Options<N>> implements OptionType<List<N>> {

  private final OptionSpec<N> spec;

  NestedListType(OptionSpec<N> spec) {
    this.spec = spec;
  }

  @Override
  public List<N> parse(Object raw, String key) {
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException(key, "expected an array of objects, got " + OptionTypes.describeValue(raw));
    }
    List<N> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(key + "[" + i + "]", "expected an object, got " + OptionTypes.describeValue(array.getValue(i)));
      }
      out.add(spec.read(o, key + "[" + i + "]"));
    }
    return out;
  }

  @Override
  public Object toJson(List<N> value) {
    JsonArray array = new JsonArray();
    value.forEach(v -> array.add(v.toJson()));
    return array;
  }

  @Override
  public List<N> copy(List<N> value) {
    List<N> out = new ArrayList<>();
    value.forEach(v -> out.add(v.copy()));
    return out;
  }

  @Override
  public String describe() {
    return "list of objects";
  }

  @Override
  public OptionSpec<?> nested() {
    return spec;
  }

  @Override
  public boolean mutable() {
    return true;
  }
}
