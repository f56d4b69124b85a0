package ai.pintxo.weaver.pyth;

import java.util.Map;

/**
 * The Pyth API key Hermes requires since Pyth's 2026 Core upgrade ({@code Authorization: Bearer <key>},
 * 401 without one): the {@code accessToken} option when set (from the environment, through
 * {@code WEAVER_VERTICLES__<NAME>__CONFIG__ACCESS_TOKEN}), else the variable named by {@code apiKeyEnv}
 * ({@code PYTH_API_KEY}). Read once at start. The value is never logged: {@link #toString()} and the
 * messages name where the key came from, not what it is.
 */
final class PythApiKey {

  private final String value;
  private final String source;
  private final String variable;

  private PythApiKey(String value, String source, String variable) {
    this.value = value;
    this.source = source;
    this.variable = variable;
  }

  /**
   * @param env the process environment
   * @return the key, or none (a self-hosted Hermes may not need one: the refusal says what to set)
   */
  static PythApiKey resolve(PythOptions options, Map<String, String> env) {
    String token = options.getAccessToken();
    if (token != null && !token.isBlank()) {
      return new PythApiKey(token.trim(), "the accessToken option", options.getApiKeyEnv());
    }
    String fromEnv = env.get(options.getApiKeyEnv());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new PythApiKey(fromEnv.trim(), options.getApiKeyEnv(), options.getApiKeyEnv());
    }
    return new PythApiKey(null, null, options.getApiKeyEnv());
  }

  /** @return the key, or null */
  String value() {
    return value;
  }

  boolean present() {
    return value != null;
  }

  /**
   * @param status   401 or 403
   * @param provider e.g. {@code Hermes at pyth.dourolabs.app}
   * @return one line naming the missing or refused key (never its value)
   */
  String refusal(int status, String provider) {
    if (value == null) {
      return "no Pyth API key: set " + variable + " (" + provider + " answered " + status + ")";
    }
    return provider + " refused the Pyth API key from " + source + " (" + status + ")";
  }

  @Override
  public String toString() {
    return value == null ? "no Pyth API key (" + variable + " unset)" : "the Pyth API key from " + source;
  }
}
