package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonObject;

/** Nested options, read with their spec under the option's key. */
final class NestedType<N extends Options<N>> implements OptionType<N> {

  private final OptionSpec<N> spec;

  NestedType(OptionSpec<N> spec) {
    this.spec = spec;
  }

  @Override
  public N parse(Object raw, String key) {
    if (!(raw instanceof JsonObject o)) {
      throw new ConfigException(key, "expected an object, got " + OptionTypes.describeValue(raw));
    }
    return spec.read(o, key);
  }

  @Override
  public Object toJson(N value) {
    return value.toJson();
  }

  @Override
  public N copy(N value) {
    return value.copy();
  }

  @Override
  public String describe() {
    return "object";
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
