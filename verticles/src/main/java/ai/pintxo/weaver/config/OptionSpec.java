package ai.pintxo.weaver.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The declarations of one options class: each option once (key, type with bounds, default, doc),
 * plus the rules that relate several options. An options class holds its spec in a static field
 * and declares its options from it:
 *
 * <pre>{@code
 * static final OptionSpec<VespaFeedOptions> SPEC = new OptionSpec<>("vespa", "How the connector reaches Vespa", VespaFeedOptions::new);
 * static final Option<Integer> CONNECTIONS = SPEC.option("connections", OptionTypes.integer(1, 128), 2, "HTTP/2 connections");
 * }</pre>
 *
 * In the style of Redpanda Connect's config specs: the spec drives parsing, {@code toJson},
 * validation, environment overrides and the reference ({@code weaver config --describe}).
 *
 * @param <O> the options class
 */
public final class OptionSpec<O extends Options<O>> {

  private final String path;
  private final String doc;
  private final Supplier<O> factory;
  private final Map<String, Option<?>> options = new LinkedHashMap<>();
  private final java.util.Set<String> environmentOnly = new java.util.LinkedHashSet<>();
  private final List<Consumer<O>> rules = new ArrayList<>();

  /**
   * @param path    the key of these options when nothing else is known (e.g. {@code vespa}), for messages
   * @param doc     one line: what these options configure
   * @param factory makes empty options (every option at its default)
   */
  public OptionSpec(String path, String doc, Supplier<O> factory) {
    this.path = path;
    this.doc = doc;
    this.factory = factory;
  }

  /** Declares an option with a constant default. */
  public <T> Option<T> option(String name, OptionType<T> type, T defaultValue, String doc) {
    String shown = defaultValue == null ? "–" : shown(type.toJson(defaultValue));
    return add(new Option<>(name, type, o -> type.copy(defaultValue), shown, doc, false, false));
  }

  /** Declares an option without a default: unset means "not used". */
  public <T> Option<T> optional(String name, OptionType<T> type, String doc) {
    return add(new Option<>(name, type, null, "–", doc, false, false));
  }

  /** Declares an option that must be given. */
  public <T> Option<T> required(String name, OptionType<T> type, String doc) {
    return add(new Option<>(name, type, null, "required", doc, true, false));
  }

  /** Declares an option whose default follows from other options (e.g. connections × streams). */
  @SuppressWarnings("unchecked")
  public <T> Option<T> computed(String name, OptionType<T> type, String defaultDoc, Function<O, T> defaultValue, String doc) {
    return add(new Option<>(name, type, o -> defaultValue.apply((O) o), defaultDoc, doc, false, false));
  }

  /** Declares a secret string: no default, masked when printed, meant to come from the environment. */
  public Option<String> secret(String name, String doc) {
    return add(new Option<>(name, OptionTypes.string(), null, "–", doc, false, true));
  }

  /**
   * Declares a secret that is read from the environment only: a deployment file that holds it is refused
   * at start (a key in a file ends up in version control and container images); the environment sets it
   * through the override variable of its key.
   */
  public Option<String> environmentSecret(String name, String doc) {
    environmentOnly.add(name);
    return secret(name, doc);
  }

  /** @return the names of the options a deployment file must not hold ({@link #environmentSecret}) */
  public java.util.Set<String> environmentOnly() {
    return Collections.unmodifiableSet(environmentOnly);
  }

  /**
   * Adds a rule over several options, checked after parsing and by {@link Options#validate()}.
   * It throws a {@link ConfigException} naming the key (use {@link Options#key(String)}).
   */
  public void rule(Consumer<O> rule) {
    rules.add(rule);
  }

  private static String shown(Object json) {
    if (json instanceof String s) {
      return s.isEmpty() ? "\"\"" : s;
    }
    return io.vertx.core.json.Json.encode(json);
  }

  private <T> Option<T> add(Option<T> option) {
    if (options.putIfAbsent(option.name(), option) != null) {
      throw new IllegalStateException("option '" + option.name() + "' of " + path + " is declared twice");
    }
    return option;
  }

  /** @return every option, in declaration order */
  public Collection<Option<?>> options() {
    return Collections.unmodifiableCollection(options.values());
  }

  /** @return the option with this key */
  public Optional<Option<?>> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** @return the default key of these options, e.g. {@code vespa} */
  public String path() {
    return path;
  }

  /** @return what these options configure */
  public String doc() {
    return doc;
  }

  /** @return new options, every option at its default */
  public O create() {
    return factory.get();
  }

  /**
   * @param json the options as JSON (null reads as empty)
   * @param path their full key, for messages
   * @return the options, validated
   * @throws ConfigException naming the full key of the first bad or unknown value
   */
  public O read(JsonObject json, String path) {
    O options = create();
    options.read(json == null ? new JsonObject() : json, path);
    return options;
  }

  void checkRules(O options) {
    for (Consumer<O> rule : rules) {
      rule.accept(options);
    }
  }
}
