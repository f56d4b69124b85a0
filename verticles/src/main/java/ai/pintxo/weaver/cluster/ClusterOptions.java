package ai.pintxo.weaver.cluster;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How weaver processes share the sources' units of work: every process with the same
 * {@code group} on the same Kafka cluster joins one consumer group per pipeline, and Kafka's group
 * coordinator gives each unit to exactly one member (see {@link UnitAssignment}). Declared once,
 * given to every verticle like the {@code kafka} section; the launcher fills in {@code pipeline}.
 */
public final class ClusterOptions extends Options<ClusterOptions> {

  private static final String NAME = "[A-Za-z0-9._-]+";

  public static final OptionSpec<ClusterOptions> SPEC = new OptionSpec<>("cluster",
      "How weaver processes on one Kafka cluster share the sources' units of work", ClusterOptions::new);
  static final Option<String> GROUP = SPEC.option("group", OptionTypes.matching(NAME, "letters, digits, '.', '_' or '-'"), "weaver",
      "processes with the same group share units (consumer groups <group>.<pipeline>, topics <group>.units.<pipeline>)");
  static final Option<Boolean> ENABLED = SPEC.option("enabled", OptionTypes.bool(), true,
      "share units through Kafka group membership; false: this process runs every unit, split over its instances");
  static final Option<String> MEMBER = SPEC.option("member", OptionTypes.string(), "",
      "names this process in /pipelines, logs and User-Agent headers; empty: <host>-<pid>");
  static final Option<String> PIPELINE = SPEC.option("pipeline", OptionTypes.string(), "",
      "the pipeline's name (the launcher sets the deployment entry's name); empty: the verticle type and a hash of its units");
  static final Option<Duration> SESSION_TIMEOUT = SPEC.option("sessionTimeout", OptionTypes.duration(), Duration.ofSeconds(10),
      "a crashed process's units move to the others after this");
  static final Option<Duration> REVOKE_TIMEOUT = SPEC.option("revokeTimeout", OptionTypes.duration(), Duration.ofSeconds(30),
      "the longest a unit being moved may take to stop before the move goes on");

  static {
    SPEC.rule(o -> {
      if (!o.getMember().isEmpty() && !o.getMember().matches(NAME)) {
        throw new ai.pintxo.weaver.config.ConfigException(o.key("member"), "must be letters, digits, '.', '_' or '-', was '"
            + o.getMember() + "'");
      }
      if (o.getSessionTimeout().toMillis() < 1000) {
        throw new ai.pintxo.weaver.config.ConfigException(o.key("sessionTimeout"), "must be at least 1s");
      }
    });
  }

  public ClusterOptions() {
    super(SPEC);
  }

  public ClusterOptions(ClusterOptions other) {
    super(other);
  }

  public ClusterOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  /** Declares the {@code cluster} option of a verticle's options. */
  public static Option<ClusterOptions> declareIn(OptionSpec<?> spec) {
    return spec.option("cluster", OptionTypes.options(SPEC), new ClusterOptions(),
        "sharing units with other processes (the deployment's cluster section, overridden key by key)");
  }

  public String getGroup() {
    return get(GROUP);
  }

  public ClusterOptions setGroup(String group) {
    return set(GROUP, group);
  }

  public boolean isEnabled() {
    return get(ENABLED);
  }

  public ClusterOptions setEnabled(boolean enabled) {
    return set(ENABLED, enabled);
  }

  public String getMember() {
    return get(MEMBER);
  }

  public ClusterOptions setMember(String member) {
    return set(MEMBER, member);
  }

  public String getPipeline() {
    return get(PIPELINE);
  }

  public ClusterOptions setPipeline(String pipeline) {
    return set(PIPELINE, pipeline);
  }

  public Duration getSessionTimeout() {
    return get(SESSION_TIMEOUT);
  }

  public ClusterOptions setSessionTimeout(Duration timeout) {
    return set(SESSION_TIMEOUT, timeout);
  }

  public Duration getRevokeTimeout() {
    return get(REVOKE_TIMEOUT);
  }

  public ClusterOptions setRevokeTimeout(Duration timeout) {
    return set(REVOKE_TIMEOUT, timeout);
  }

  /** @return the member name, or {@code <host>-<pid>} when none is set */
  public String member() {
    return getMember().isEmpty() ? defaultMember() : getMember();
  }

  /** @return a User-Agent that names this member, so a provider (and the tests' emulators) can tell processes apart */
  public String userAgent(String product) {
    return product + " (member " + member() + ")";
  }

  /** @return the pipeline name, or the given fallback (the verticle type) when none is set */
  public String pipeline(String fallback) {
    return getPipeline().isEmpty() ? fallback : getPipeline();
  }

  private static String defaultMember() {
    // HOSTNAME is the pod's name on Kubernetes and the container id on Docker; no DNS lookup (it can block offline).
    String host = System.getenv().getOrDefault("HOSTNAME", "weaver");
    return (host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
