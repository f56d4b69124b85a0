package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Base of every options class: values of the options its {@link OptionSpec} declares. Getters and
 * setters of a subclass are one line each ({@code return get(ENDPOINT)}, {@code return set(ENDPOINT, v)});
 * reading JSON, {@code toJson}, copying and validation are done here once. A setter checks its value
 * exactly as the deployment file's value is checked, and throws the same {@link ConfigException}.
 *
 * @param <O> the options class itself, for fluent setters
 */
public abstract class Options<O extends Options<O>> {

  private final OptionSpec<O> spec;
  /** The values given (from JSON or a setter); absent options have their default. */
  private final Map<Option<?>, Object> values = new HashMap<>();
  private String path;

  protected Options(OptionSpec<O> spec) {
    this.spec = spec;
    this.path = spec.path();
  }

  /**
   * Reads and validates JSON into options made with the spec's factory.
   *
   * @throws ConfigException naming the full key
   */
  protected Options(OptionSpec<O> spec, JsonObject json, String path) {
    this(spec);
    read(json == null ? new JsonObject() : json, path);
  }

  /** Copies other options (deeply: nested options and lists are copied too). */
  protected Options(O other) {
    this(other.spec());
    Options<O> source = other;
    path = source.path;
    source.values.forEach((option, value) -> values.put(option, copyOf(option, value)));
  }

  @SuppressWarnings("unchecked")
  private static <T> Object copyOf(Option<T> option, Object value) {
    return option.type().copy((T) value);
  }

  final void read(JsonObject json, String path) {
    this.path = path;
    for (String field : json.fieldNames()) {
      Option<?> option = spec.option(field).orElseThrow(() -> new ConfigException(key(field),
          "unknown key (known keys: " + spec.options().stream().map(Option::name).collect(Collectors.toCollection(TreeSet::new))
              .stream().collect(Collectors.joining(", ")) + ")"));
      Object raw = json.getValue(field);
      if (raw != null) {
        values.put(option, option.type().parse(raw, key(field)));
      }
    }
    validate();
  }

  /** @return the spec that declares these options */
  public final OptionSpec<O> spec() {
    return spec;
  }

  /** @return the full key of these options (e.g. {@code verticles[engine-connector].config.vespa}), for messages */
  public final String path() {
    return path;
  }

  /** @return the full key of one option, for messages */
  public final String key(String option) {
    return path == null || path.isEmpty() ? option : path + "." + option;
  }

  /** @return an option's value, or its default */
  @SuppressWarnings("unchecked")
  public final <T> T get(Option<T> option) {
    Object value = values.get(option);
    if (value != null || values.containsKey(option)) {
      return (T) value;
    }
    T fallback = option.defaultFor(this);
    if (fallback != null && option.type().mutable()) {
      values.put(option, fallback); // a mutable default (a list, nested options): changes to it must stick
    }
    return fallback;
  }

  /** @return whether an option was given (rather than defaulted) */
  public final boolean isSet(Option<?> option) {
    return values.get(option) != null;
  }

  /**
   * Sets an option, checked as a value from the deployment file would be; null returns an optional
   * option to its default.
   *
   * @throws ConfigException naming the key when the value is out of bounds
   */
  public final <T> O set(Option<T> option, T value) {
    if (spec.option(option.name()).orElse(null) != option) {
      throw new IllegalArgumentException("option '" + option.name() + "' is not declared by " + spec.path());
    }
    if (value == null) {
      if (option.required()) {
        throw new ConfigException(key(option.name()), "is required");
      }
      values.remove(option);
    } else {
      option.type().check(value, key(option.name()));
      values.put(option, value);
    }
    return self();
  }

  @SuppressWarnings("unchecked")
  private O self() {
    return (O) this;
  }

  /**
   * Checks what single values cannot: required options present, the rules relating several
   * options, nested options. Verticles call it before they start, so options built in Java get
   * the same errors as a deployment file.
   *
   * @return these options
   * @throws ConfigException naming the full key
   */
  public final O validate() {
    for (Option<?> option : spec.options()) {
      Object value = get(option);
      if (value == null && option.required()) {
        throw new ConfigException(key(option.name()), "is required");
      }
      if (value instanceof Options<?> nested) {
        nested.validateAt(key(option.name()));
      } else if (value instanceof Iterable<?> list && option.type().nested() != null) {
        int i = 0;
        for (Object element : list) {
          ((Options<?>) element).validateAt(key(option.name()) + "[" + i++ + "]");
        }
      }
    }
    spec.checkRules(self());
    return self();
  }

  final void validateAt(String newPath) {
    this.path = newPath;
    validate();
  }

  /** @return every option with its value or default (secrets included: mask before printing) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Option<?> option : spec.options()) {
      write(json, option);
    }
    return json;
  }

  private <T> void write(JsonObject json, Option<T> option) {
    T value = get(option);
    if (value != null) {
      json.put(option.name(), option.type().toJson(value));
    }
  }

  /** @return an independent copy */
  public final O copy() {
    O copy = spec.create();
    Options<O> target = copy;
    target.path = path;
    values.forEach((option, value) -> target.values.put(option, copyOf(option, value)));
    return copy;
  }

  /** @return {@link #toJson()} with every secret option's value replaced by {@code ***}, nested options too */
  public JsonObject toMaskedJson() {
    JsonObject json = new JsonObject();
    for (Option<?> option : spec.options()) {
      Object value = get(option);
      if (value == null) {
        continue;
      }
      if (option.secret()) {
        json.put(option.name(), "***");
      } else if (value instanceof Options<?> nested) {
        json.put(option.name(), nested.toMaskedJson());
      } else if (value instanceof java.util.List<?> list && option.type().nested() != null) {
        io.vertx.core.json.JsonArray array = new io.vertx.core.json.JsonArray();
        list.forEach(element -> array.add(((Options<?>) element).toMaskedJson()));
        json.put(option.name(), array);
      } else {
        write(json, option);
      }
    }
    return json;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + toMaskedJson().encode();
  }
}
