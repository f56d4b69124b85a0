package ai.pintxo.weaver.config;

/**
 * A configuration value that cannot be used. The message names the full key (e.g.
 * {@code verticles[engine-connector].config.vespa.endpoint}) and the reason, so the operator can fix
 * it without reading code.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String reason) {
    super("invalid configuration: " + key + ": " + reason);
    this.key = key;
  }

  /** @return the full key of the offending value */
  public String key() {
    return key;
  }
}
