package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The option types: strings (plain, patterned, URLs), bounded integers, booleans, durations,
 * string lists and maps, and nested options. Every type reads the text an environment variable
 * gives ({@code "4"}, {@code "true"}, {@code "30s"}, {@code "a,b"}) as well as its JSON form.
 */
public final class OptionTypes {

  private OptionTypes() {
  }

  /** @return any string */
  public static OptionType<String> string() {
    return text("string", s -> s);
  }

  /** @return a string that is not blank */
  public static OptionType<String> nonBlank() {
    return text("string", s -> {
      if (s.isBlank()) {
        throw new IllegalArgumentException("must not be blank");
      }
      return s;
    });
  }

  /**
   * @param regex what the whole string must match
   * @param hint  what that means, for the error ("host:port (e.g. …)")
   */
  public static OptionType<String> matching(String regex, String hint) {
    return text("string (" + hint + ")", s -> {
      if (!s.matches(regex)) {
        throw new IllegalArgumentException("must be " + hint + ", was '" + s + "'");
      }
      return s;
    });
  }

  /** @return one of the given words */
  public static OptionType<String> oneOf(String... words) {
    List<String> allowed = List.of(words);
    return text("one of " + String.join(", ", allowed), s -> {
      if (!allowed.contains(s)) {
        throw new IllegalArgumentException("must be " + String.join(" or ", allowed.stream().map(w -> "\"" + w + "\"").toList())
            + ", was \"" + s + "\"");
      }
      return s;
    });
  }

  /** @return an absolute http:// or https:// URL */
  public static OptionType<String> httpUrl() {
    return text("http(s) URL", OptionTypes::checkHttpUrl);
  }

  /** @return an absolute http(s) URL without its trailing slash (a base for paths) */
  public static OptionType<String> baseUrl() {
    return text("http(s) URL", s -> {
      String url = checkHttpUrl(s);
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    });
  }

  private static String checkHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("must be an absolute http:// or https:// URL, was '" + s + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getMessage());
    }
    return s;
  }

  /**
   * A value written as text in JSON.
   *
   * @param describe how the reference names it
   * @param parser   reads and checks the text; an {@link IllegalArgumentException} becomes the error's reason
   */
  public static OptionType<String> text(String describe, Function<String, String> parser) {
    return fromText(describe, parser, s -> s);
  }

  /**
   * A value of any type written as text in JSON (a cron expression, an enum).
   *
   * @param parser reads and checks the text; an {@link IllegalArgumentException} becomes the error's reason
   * @param format writes it back
   */
  public static <T> OptionType<T> fromText(String describe, Function<String, T> parser, Function<T, String> format) {
    return new OptionType<>() {
      @Override
      public T parse(Object raw, String key) {
        if (!(raw instanceof String s)) {
          throw new ConfigException(key, "expected a " + describe + ", got " + describeValue(raw));
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
    };
  }

  /** @return an int within [min, max] */
  public static OptionType<Integer> integer(int min, int max) {
    OptionType<Long> wide = longValue(min, max);
    return new OptionType<>() {
      @Override
      public Integer parse(Object raw, String key) {
        return wide.parse(raw, key).intValue();
      }

      @Override
      public void check(Integer value, String key) {
        wide.check(value.longValue(), key);
      }

      @Override
      public Object toJson(Integer value) {
        return value;
      }

      @Override
      public String describe() {
        return wide.describe();
      }
    };
  }

  /** @return a long within [min, max] */
  public static OptionType<Long> longValue(long min, long max) {
    return new OptionType<>() {
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
          throw new ConfigException(key, "expected an integer, got " + describeValue(raw));
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
    };
  }

  private static String bound(long n) {
    return n == Long.MAX_VALUE || n == Integer.MAX_VALUE ? "max" : n == Long.MIN_VALUE || n == Integer.MIN_VALUE ? "min" : Long.toString(n);
  }

  /** @return true or false (also as text) */
  public static OptionType<Boolean> bool() {
    return new OptionType<>() {
      @Override
      public Boolean parse(Object raw, String key) {
        if (raw instanceof Boolean b) {
          return b;
        }
        if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
          return Boolean.parseBoolean(s.trim());
        }
        throw new ConfigException(key, "expected true or false, got " + describeValue(raw));
      }

      @Override
      public Object toJson(Boolean value) {
        return value;
      }

      @Override
      public String describe() {
        return "boolean";
      }
    };
  }

  /** @return a positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, ISO-8601, or milliseconds */
  public static OptionType<Duration> duration() {
    return duration(false);
  }

  /** @return a duration that may be zero (zero turns a feature off) */
  public static OptionType<Duration> durationOrZero() {
    return duration(true);
  }

  private static OptionType<Duration> duration(boolean zeroAllowed) {
    return new OptionType<>() {
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
          throw new ConfigException(key, "expected a duration such as \"30s\", got " + describeValue(raw));
        }
        check(d, key);
        return d;
      }

      @Override
      public void check(Duration d, String key) {
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
    };
  }

  /** @return a list of strings: a JSON array, or comma-separated text */
  public static OptionType<List<String>> stringList() {
    return new OptionType<>() {
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
          throw new ConfigException(key, "expected an array of strings, got " + describeValue(raw));
        }
        for (int i = 0; i < array.size(); i++) {
          if (!(array.getValue(i) instanceof String s)) {
            throw new ConfigException(key + "[" + i + "]", "expected a string, got " + describeValue(array.getValue(i)));
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
    };
  }

  /** @return an object of string values (numbers and booleans are taken as their text) */
  public static OptionType<Map<String, String>> stringMap() {
    return new OptionType<>() {
      @Override
      public Map<String, String> parse(Object raw, String key) {
        if (!(raw instanceof JsonObject o)) {
          throw new ConfigException(key, "expected an object of string values, got " + describeValue(raw));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) {
          Object value = e.getValue();
          if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new ConfigException(key + "." + e.getKey(), "expected a string, got " + describeValue(value));
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
    };
  }

  /** @return nested options, read with their spec under the option's key */
  public static <N extends Options<N>> OptionType<N> options(OptionSpec<N> spec) {
    return new OptionType<>() {
      @Override
      public N parse(Object raw, String key) {
        if (!(raw instanceof JsonObject o)) {
          throw new ConfigException(key, "expected an object, got " + describeValue(raw));
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
    };
  }

  /** @return a list of nested options, each read with the spec under {@code key[i]} */
  public static <N extends Options<N>> OptionType<List<N>> optionsList(OptionSpec<N> spec) {
    return new OptionType<>() {
      @Override
      public List<N> parse(Object raw, String key) {
        if (!(raw instanceof JsonArray array)) {
          throw new ConfigException(key, "expected an array of objects, got " + describeValue(raw));
        }
        List<N> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          if (!(array.getValue(i) instanceof JsonObject o)) {
            throw new ConfigException(key + "[" + i + "]", "expected an object, got " + describeValue(array.getValue(i)));
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
    };
  }

  /**
   * @return a JSON object kept as it is, for a section another spec reads later (a verticle's
   *     {@code config}, read by its provider once the verticle type is known)
   */
  public static OptionType<JsonObject> jsonObject() {
    return new OptionType<>() {
      @Override
      public JsonObject parse(Object raw, String key) {
        if (!(raw instanceof JsonObject o)) {
          throw new ConfigException(key, "expected an object, got " + describeValue(raw));
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
    };
  }

  /** @return an enum constant, written in lower case ({@code SSE} is {@code "sse"}) */
  public static <E extends Enum<E>> OptionType<E> lowerCaseEnum(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    return fromText("one of " + String.join(", ", names), s -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(s.trim())) {
          return constant;
        }
      }
      throw new IllegalArgumentException("must be " + String.join(" or ", names.stream().map(n -> "\"" + n + "\"").toList())
          + ", was \"" + s + "\"");
    }, e -> e.name().toLowerCase(Locale.ROOT));
  }

  /** @return a JSON value as the error messages describe it */
  static String describeValue(Object v) {
    if (v instanceof String s) {
      return "string \"" + s + "\"";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray) {
      return "an array";
    }
    return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
  }
}
