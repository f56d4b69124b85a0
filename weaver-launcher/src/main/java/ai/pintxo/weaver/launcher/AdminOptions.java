package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import java.time.Duration;
import java.util.Locale;

/**
 * The admin endpoint and runtime control. Loopback by default: it is not meant for the internet;
 * bound anywhere else it requires a token, since {@code /pipelines} can pause and reconfigure.
 */
public final class AdminOptions extends Options<AdminOptions> {

  public static final Duration DEFAULT_WATCH = Duration.ofSeconds(5);

  public static final OptionSpec<AdminOptions> SPEC = new OptionSpec<>("admin",
      "The admin endpoint (/health, /ready, /metrics, /pipelines, /admin/poll) and watching the deployment file", AdminOptions::new);
  static final Option<Boolean> ENABLED = SPEC.option("enabled", OptionTypes.bool(), true, "serve the admin endpoint");
  static final Option<String> HOST = SPEC.option("host", OptionTypes.nonBlank(), Deployment.DEFAULT_ADMIN_HOST,
      "the address to bind; anything but a loopback address requires admin.token");
  static final Option<Integer> PORT = SPEC.option("port", OptionTypes.integer(0, 65535), Deployment.DEFAULT_ADMIN_PORT,
      "the port (0 picks a free one)");
  static final Option<String> TOKEN = SPEC.secret("token",
      "bearer token required by /pipelines and /admin/* (Authorization: Bearer <token>); set it with WEAVER_ADMIN__TOKEN");
  static final Option<Duration> WATCH = SPEC.option("watch", OptionTypes.durationOrZero(), DEFAULT_WATCH,
      "how often the deployment file is checked for changes, which are applied pipeline by pipeline; 0 turns watching off");

  static {
    SPEC.rule(o -> {
      // An open /pipelines on a reachable address would let anyone pause or reconfigure the pipelines.
      if (o.isEnabled() && !isLoopback(o.getHost()) && (o.getToken() == null || o.getToken().isBlank())) {
        throw new ConfigException(o.key("token"), "required when " + o.key("host") + " is not a loopback address (was '"
            + o.getHost() + "'); set WEAVER_ADMIN__TOKEN");
      }
    });
  }

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

  /** @return the bearer token, or null when none is set (loopback only) */
  public String getToken() {
    return get(TOKEN);
  }

  /** @return the deployment file's scan period, zero when not watched */
  public Duration getWatch() {
    return get(WATCH);
  }

  /**
   * Decided from the text alone: resolving a name could block or ask DNS, and a name that is not
   * {@code localhost} may resolve to anything, so it counts as reachable.
   *
   * @return whether a bind address is only reachable from this host
   */
  static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }
}
