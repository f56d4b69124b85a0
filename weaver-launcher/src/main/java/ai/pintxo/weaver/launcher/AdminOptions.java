package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;

/** The admin endpoint: health, readiness and metrics. Loopback by default: it is not meant for the internet. */
public final class AdminOptions extends Options<AdminOptions> {

  public static final OptionSpec<AdminOptions> SPEC = new OptionSpec<>("admin",
      "The admin endpoint: /health, /ready, /metrics", AdminOptions::new);
  static final Option<Boolean> ENABLED = SPEC.option("enabled", OptionTypes.bool(), true, "serve the admin endpoint");
  static final Option<String> HOST = SPEC.option("host", OptionTypes.nonBlank(), Deployment.DEFAULT_ADMIN_HOST, "the address to bind");
  static final Option<Integer> PORT = SPEC.option("port", OptionTypes.integer(0, 65535), Deployment.DEFAULT_ADMIN_PORT,
      "the port (0 picks a free one)");

  public AdminOptions() {
    super(SPEC);
  }

  public boolean isEnabled() {
    return get(ENABLED);
  }

  public String getHost() {
    return get(HOST);
  }

  public int getPort() {
    return get(PORT);
  }
}
