package ai.pintxo.weaver.config;

/**
 * How the values of one kind of option are read from JSON (the deployment file, or an environment
 * variable's text), checked, and written back. Reading and checking give the same
 * {@link ConfigException} whatever the value's origin: {@link Options#set} calls {@link #check} too.
 *
 * @param <T> the Java type of the values
 */
public interface OptionType<T> {

  /**
   * @param raw a JSON value (String, Number, Boolean, JsonObject or JsonArray), never null
   * @param key the full key, for the error
   * @return the value, checked
   * @throws ConfigException naming the key when the value has the wrong type or is out of bounds
   */
  T parse(Object raw, String key);

  /**
   * Checks a value set from Java.
   *
   * @throws ConfigException naming the key
   */
  default void check(T value, String key) {
  }

  /** @return the JSON form of a value, the one {@link #parse} reads back */
  Object toJson(T value);

  /** @return the type as the configuration reference prints it, e.g. {@code integer 1..128} */
  String describe();

  /** @return an independent copy of a mutable value (options objects, lists); immutable values are returned as they are */
  default T copy(T value) {
    return value;
  }

  /**
   * @return whether values can be changed in place (lists, maps, nested options): an option's default
   *     of such a type is stored on first read, so a change made through the getter sticks
   */
  default boolean mutable() {
    return false;
  }

  /** @return the options spec of a nested options object or list of them, for the reference; null otherwise */
  default OptionSpec<?> nested() {
    return null;
  }
}
