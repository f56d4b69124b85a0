package ai.pintxo.weaver.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration option, declared once: its key, type (with bounds), default, and a one-line
 * doc. Parsing, {@code toJson}, validation, environment overrides and the reference printed by
 * {@code weaver config --describe} all come from this declaration. Declared through
 * {@link OptionSpec}, read and written through {@link Options#get} and {@link Options#set}.
 *
 * @param <T> the value's Java type
 */
public final class Option<T> {

  private final String name;
  private final OptionType<T> type;
  private final Function<Options<?>, T> defaultValue;
  private final String defaultDoc;
  private final String doc;
  private final boolean required;
  private final boolean secret;

  Option(String name, OptionType<T> type, Function<Options<?>, T> defaultValue, String defaultDoc, String doc,
         boolean required, boolean secret) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.defaultDoc = defaultDoc;
    this.doc = Objects.requireNonNull(doc, "doc");
    this.required = required;
    this.secret = secret;
  }

  /** @return the key in JSON */
  public String name() {
    return name;
  }

  public OptionType<T> type() {
    return type;
  }

  /** @return the one-line doc */
  public String doc() {
    return doc;
  }

  /** @return whether a value must be given (there is no default) */
  public boolean required() {
    return required;
  }

  /** @return whether the value is a secret: masked by {@code weaver config}, never logged */
  public boolean secret() {
    return secret;
  }

  /** @return the default as the reference prints it: its JSON text, a rule ("connections × streams"), or "–" */
  public String defaultDoc() {
    return defaultDoc;
  }

  T defaultFor(Options<?> options) {
    return defaultValue == null ? null : defaultValue.apply(options);
  }

  @Override
  public String toString() {
    return name;
  }
}
