package ai.pintxo.weaver.config;


/** true or false, also as text. */
final class BooleanType implements OptionType<Boolean> {


  @Override
  public Boolean parse(Object raw, String key) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s.trim());
    }
    throw new ConfigException(key, "expected true or false, got " + OptionTypes.describeValue(raw));
  }

  @Override
  public Object toJson(Boolean value) {
    return value;
  }

  @Override
  public String describe() {
    return "boolean";
  }
}
