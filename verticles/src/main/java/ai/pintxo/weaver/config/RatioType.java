package ai.pintxo.weaver.config;

/** A fraction in [0, 1] (a sampling ratio), from a JSON number or its text. */
final class RatioType implements OptionType<Double> {

  @Override
  public Double parse(Object raw, String key) {
    double d;
    if (raw instanceof Number n) {
      d = n.doubleValue();
    } else if (raw instanceof String s && s.trim().matches("\\d+(\\.\\d+)?([eE]-?\\d+)?")) {
      d = Double.parseDouble(s.trim());
    } else {
      throw new ConfigException(key, "expected a number between 0 and 1, got " + OptionTypes.describeValue(raw));
    }
    check(d, key);
    return d;
  }

  @Override
  public void check(Double value, String key) {
    if (!(value >= 0 && value <= 1)) {
      throw new ConfigException(key, "must be within [0, 1], was " + value);
    }
  }

  @Override
  public Object toJson(Double value) {
    return value;
  }

  @Override
  public String describe() {
    return "number 0..1";
  }
}
