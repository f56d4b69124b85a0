package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
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
    return new TextType<>(describe, parser, format);
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
    return new LongType(min, max);
  }

  /** @return a fraction within [0, 1] (also as text), e.g. a sampling ratio */
  public static OptionType<Double> ratio() {
    return new RatioType();
  }

  /** @return true or false (also as text) */
  public static OptionType<Boolean> bool() {
    return new BooleanType();
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
    return new DurationType(zeroAllowed);
  }

  /** @return a list of strings: a JSON array, or comma-separated text */
  public static OptionType<List<String>> stringList() {
    return new StringListType();
  }

  /** @return an object of string values (numbers and booleans are taken as their text) */
  public static OptionType<Map<String, String>> stringMap() {
    return new StringMapType();
  }

  /** @return nested options, read with their spec under the option's key */
  public static <N extends Options<N>> OptionType<N> options(OptionSpec<N> spec) {
    return new NestedType<>(spec);
  }

  /** @return a list of nested options, each read with the spec under {@code key[i]} */
  public static <N extends Options<N>> OptionType<List<N>> optionsList(OptionSpec<N> spec) {
    return new NestedListType<>(spec);
  }

  /**
   * @return a JSON object kept as it is, for a section another spec reads later (a verticle's
   *     {@code config}, read by its provider once the verticle type is known)
   */
  public static OptionType<JsonObject> jsonObject() {
    return new JsonObjectType();
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
