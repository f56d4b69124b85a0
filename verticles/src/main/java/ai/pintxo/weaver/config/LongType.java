package ai.pintxo.weaver.config;


/** A whole number within bounds, from a JSON number or its text. */
final class LongType implements OptionType<Long> {

  private final long min;
  private final long max;

  LongType(long min, long max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Long parse(Object raw, String key) {
    long n;
    if (raw instanceof Integer || raw instanceof Long) {
      n = ((Number) raw).longValue();
    } else if (raw instanceof String s && s.trim().matches("-?\\d{1,19}")) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "is too large, was " + s.trim());
      }
    } else {
      throw new ConfigException(key, "expected an integer, got " + OptionTypes.describeValue(raw));
    }
    check(n, key);
    return n;
  }

  @Override
  public void check(Long n, String key) {
    if (n < min || n > max) {
      throw new ConfigException(key, "must be within [" + min + ", " + max + "], was " + n);
    }
  }

  @Override
  public Object toJson(Long value) {
    return value;
  }

  @Override
  public String describe() {
    return "integer " + bound(min) + ".." + bound(max);
  }

  private static String bound(long n) {
    return n == Long.MAX_VALUE || n == Integer.MAX_VALUE ? "max" : n == Long.MIN_VALUE || n == Integer.MIN_VALUE ? "min" : Long.toString(n);
  }
}
