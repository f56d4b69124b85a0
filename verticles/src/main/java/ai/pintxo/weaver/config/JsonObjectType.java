package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonObject;

/** A JSON object kept as it is, for a section another spec reads later. */
final class JsonObjectType implements OptionType<JsonObject> {


  @Override
  public JsonObject parse(Object raw, String key) {
    if (!(raw instanceof JsonObject o)) {
      throw new ConfigException(key, "expected an object, got " + OptionTypes.describeValue(raw));
    }
    return o.copy();
  }

  @Override
  public Object toJson(JsonObject value) {
    return value.copy();
  }

  @Override
  public JsonObject copy(JsonObject value) {
    return value.copy();
  }

  @Override
  public String describe() {
    return "object";
  }

  @Override
  public boolean mutable() {
    return true;
  }
}
