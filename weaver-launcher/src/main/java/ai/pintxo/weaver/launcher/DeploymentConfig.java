package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.kafka.KafkaOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A deployment file as written: Kafka, the admin endpoint and the verticles. */
public final class DeploymentConfig extends Options<DeploymentConfig> {

  public static final OptionSpec<DeploymentConfig> SPEC = new OptionSpec<>("", "A deployment file", DeploymentConfig::new);
  static final Option<KafkaOptions> KAFKA = SPEC.option("kafka", OptionTypes.options(KafkaOptions.SPEC), new KafkaOptions(),
      "Kafka for every verticle");
  static final Option<ClusterOptions> CLUSTER = SPEC.option("cluster", OptionTypes.options(ClusterOptions.SPEC), new ClusterOptions(),
      "how processes on one Kafka cluster share the sources' units (for every verticle; pipeline is each entry's name)");
  static final Option<AdminOptions> ADMIN = SPEC.option("admin", OptionTypes.options(AdminOptions.SPEC), new AdminOptions(),
      "the admin endpoint, its control API and watching this file");
  static final Option<TracingOptions> TRACING = SPEC.option("tracing", OptionTypes.options(TracingOptions.SPEC), new TracingOptions(),
      "OpenTelemetry traces (off by default; the OTEL_* variables win)");
  static final Option<List<VerticleEntry>> VERTICLES = SPEC.option("verticles", OptionTypes.optionsList(VerticleEntry.SPEC), List.of(),
      "the verticles to deploy");

  static {
    SPEC.rule(o -> {
      List<VerticleEntry> verticles = o.getVerticles();
      if (verticles.isEmpty()) {
        throw new ConfigException("verticles", "no verticles to deploy");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < verticles.size(); i++) {
        if (!names.add(verticles.get(i).getName())) {
          throw new ConfigException("verticles[" + i + "].name", "two verticles are named '" + verticles.get(i).getName()
              + "'; names must be unique");
        }
      }
    });
  }

  public DeploymentConfig() {
    super(SPEC);
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public AdminOptions getAdmin() {
    return get(ADMIN);
  }

  public TracingOptions getTracing() {
    return get(TRACING);
  }

  public List<VerticleEntry> getVerticles() {
    return get(VERTICLES);
  }
}
