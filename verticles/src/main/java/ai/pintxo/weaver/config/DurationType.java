package ai.pintxo.weaver.config;

import java.time.Duration;

/** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, ISO-8601, or milliseconds. */
final class DurationType implements OptionType<Duration> {

  private final boolean zeroAllowed;

  DurationType(boolean zeroAllowed) {
    this.zeroAllowed = zeroAllowed;
  }

  @Override
  public Duration parse(Object raw, String key) {
    Duration d;
    if (raw instanceof Integer || raw instanceof Long) {
      d = Duration.ofMillis(((Number) raw).longValue());
    } else if (raw instanceof String s) {
      try {
        d = Durations.parse(s);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, e.getMessage());
      }
    } else {
      throw new ConfigException(key, "expected a duration such as \"30s\", got " + OptionTypes.describeValue(raw));
    }
    check(d, key);
    return d;
  }

  @Override
  public void check(Duration d, String key) {
    if (d.compareTo(Durations.MAX) > 0) {
      throw new ConfigException(key, "too long (at most " + Durations.format(Durations.MAX) + "), was " + Durations.format(d));
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw new ConfigException(key, "must be " + (zeroAllowed ? "zero or positive" : "positive") + ", was " + Durations.format(d));
    }
  }

  @Override
  public Object toJson(Duration value) {
    return Durations.format(value);
  }

  @Override
  public String describe() {
    return zeroAllowed ? "duration (0 = off)" : "duration";
  }
}
