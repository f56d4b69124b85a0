package ai.pintxo.weaver.config;

import java.util.function.Function;

/** A value written as text in JSON: strings, cron expressions, enums. */
final class TextType<T> implements OptionType<T> {

  private final String describe;
  private final Function<String, T> parser;
  private final Function<T, String> format;

  TextType(String describe, Function<String, T> parser, Function<T, String> format) {
    this.describe = describe;
    this.parser = parser;
    this.format = format;
  }

  @Override
  public T parse(Object raw, String key) {
    if (!(raw instanceof String s)) {
      throw new ConfigException(key, "expected a " + describe + ", got " + OptionTypes.describeValue(raw));
    }
    try {
      return parser.apply(s);
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  @Override
  public void check(T value, String key) {
    parse(format.apply(value), key);
  }

  @Override
  public Object toJson(T value) {
    return format.apply(value);
  }

  @Override
  public String describe() {
    return describe;
  }
}
