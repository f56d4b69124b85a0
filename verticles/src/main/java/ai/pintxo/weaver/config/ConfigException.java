package ai.pintxo.weaver.config;

/**
 * A configuration value that cannot be used. The message names the full key (e.g.
 * {@code verticles[engine-connector].config.vespa.endpoint}) and the reason, so the operator can fix
 * it without reading code. The same exception, with the same message, whether the value came from
 * the deployment file, the environment or a Java setter: it is an {@link IllegalArgumentException}
 * for embedding callers.
 */
public final class ConfigException extends IllegalArgumentException {

  private final String key;

  public ConfigException(String key, String reason) {
    super("invalid configuration: " + key + ": " + reason);
    this.key = key;
  }

  /** @return the reason alone, without the key */
  public String reason() {
    return getMessage().substring(("invalid configuration: " + key + ": ").length());
  }

  /** @return the same reason for the same key under another parent path (an options object read at a nested key) */
  public ConfigException under(String parent) {
    if (parent == null || parent.isEmpty()) {
      return this;
    }
    return new ConfigException(parent + "." + key, reason());
  }

  /** @return the full key of the offending value */
  public String key() {
    return key;
  }
}
