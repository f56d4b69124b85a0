package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.deploy.VerticleProvider;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deployment file, read, overridden from the environment and validated as a whole before
 * anything starts: Kafka (external servers, or the embedded broker's directory and port), the
 * admin endpoint, and the verticles with their instance counts and configs.
 *
 * <p>Relative paths in the file are resolved against the file's own directory.
 */
public final class Deployment {

  /** The embedded broker's default client port. */
  public static final int DEFAULT_EMBEDDED_PORT = ai.pintxo.weaver.kafka.EmbeddedKafkaOptions.DEFAULT_PORT;
  public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
  public static final int DEFAULT_ADMIN_PORT = 8090;

  private final Path file;
  private final KafkaOptions kafka;
  private final JsonObject cluster;
  private final Path embeddedDataDir;
  private final int embeddedPort;
  private final boolean adminEnabled;
  private final String adminHost;
  private final int adminPort;
  private final AdminOptions admin;
  private final TracingOptions tracing;
  private final List<VerticleSpec> verticles;
  private final JsonObject effective;
  private final List<String> overrides;

  private Deployment(Path file, KafkaOptions kafka, JsonObject cluster, Path embeddedDataDir, int embeddedPort, boolean adminEnabled,
                     String adminHost, int adminPort, AdminOptions admin, TracingOptions tracing, List<VerticleSpec> verticles, JsonObject effective,
                     List<String> overrides) {
    this.file = file;
    this.kafka = kafka;
    this.cluster = cluster;
    this.embeddedDataDir = embeddedDataDir;
    this.embeddedPort = embeddedPort;
    this.adminEnabled = adminEnabled;
    this.adminHost = adminHost;
    this.adminPort = adminPort;
    this.admin = admin;
    this.tracing = tracing;
    this.verticles = verticles;
    this.effective = effective;
    this.overrides = overrides;
  }

  /**
   * @param file the deployment file
   * @param env  the environment, for overrides
   * @return the validated deployment, read through vertx-config ({@link DeploymentSource})
   * @throws ConfigException naming the file or key and the reason
   */
  public static Deployment load(Path file, Map<String, String> env) {
    return DeploymentSource.load(file, env);
  }

  /**
   * @param root the deployment JSON (changed by environment overrides)
   * @param file where it came from; relative paths resolve against its directory
   */
  static Deployment parse(JsonObject root, Path file, Map<String, String> env) {
    refuseSecretsInFile(root);
    List<String> applied = EnvOverrides.apply(root, env);
    Path baseDir = file.getParent() == null ? Path.of(".").toAbsolutePath() : file.getParent();
    DeploymentConfig config = DeploymentConfig.SPEC.read(root, "");
    KafkaOptions kafka = config.getKafka();
    JsonObject cluster = config.getCluster().toJson();
    Path dataDir = baseDir.resolve(kafka.getEmbedded().getDataDir()).normalize();
    int embeddedPort = kafka.getEmbedded().getPort();
    AdminOptions admin = config.getAdmin();
    boolean adminEnabled = admin.isEnabled();
    String adminHost = admin.getHost();
    int adminPort = admin.getPort();
    TracingOptions tracing = config.getTracing();

    Map<String, VerticleProvider> providers = providers();
    JsonObject kafkaJson = kafka.toJson();
    kafkaJson.remove("embedded"); // the launcher's concern, not the verticles'
    List<VerticleEntry> entries = config.getVerticles();
    VerticleSpec[] specs = new VerticleSpec[entries.size()];
    // Sources first: the consumers of their records (the engine connector) take their topics and processors.
    for (boolean consumers : new boolean[] {false, true}) {
      for (int i = 0; i < entries.size(); i++) {
        VerticleEntry entry = entries.get(i);
        VerticleProvider provider = providers.get(entry.getVerticle());
        if (provider == null) {
          throw new ConfigException("verticles[" + i + "].verticle", "unknown verticle '" + entry.getVerticle() + "' (known: "
              + String.join(", ", providers.keySet()) + ")");
        }
        if (provider.readsSources() != consumers) {
          continue;
        }
        String name = entry.getName();
        if (entry.getInstances() > provider.maxInstances()) {
          throw new ConfigException("verticles[" + name + "].instances", provider.type() + " takes at most " + provider.maxInstances()
              + " instance(s) per process, was " + entry.getInstances() + " (" + provider.maxInstancesReason() + ")");
        }
        JsonObject raw = merged(kafkaJson, cluster, name, entry.getConfig());
        if (consumers) {
          raw = linked(provider, raw, specs);
        }
        JsonObject validated = provider.validate(raw, "verticles[" + name + "].config", baseDir);
        specs[i] = new VerticleSpec(name, provider, entry.getInstances(), validated);
      }
    }
    List<VerticleSpec> verticles = new ArrayList<>(List.of(specs));

    JsonObject effective = new JsonObject()
        .put("cluster", cluster.copy())
        .put("kafka", kafkaJson.copy().put("embedded", new JsonObject().put("dataDir", dataDir.toString()).put("port", embeddedPort)
            .put("controllerPort", kafka.getEmbedded().getControllerPort())))
        .put("admin", admin.toJson())
        .put("tracing", tracing.toJson());
    JsonArray list = new JsonArray();
    verticles.forEach(v -> list.add(new JsonObject().put("name", v.name()).put("verticle", v.provider().type())
        .put("instances", v.instances()).put("config", v.config())));
    effective.put("verticles", list);
    return new Deployment(file, kafka, cluster, dataDir, embeddedPort, adminEnabled, adminHost, adminPort, admin, tracing, verticles, effective, applied);
  }

  /**
   * Refuses a verticle entry whose file config holds an option its provider reads from the environment only
   * (the Pyth API key): checked before the environment's overrides are applied, so the message can name the
   * variable to use instead.
   */
  private static void refuseSecretsInFile(JsonObject root) {
    if (!(root.getValue("verticles") instanceof JsonArray entries)) {
      return; // the declarations report a missing or mistyped list
    }
    Map<String, VerticleProvider> providers = providers();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.getValue(i) instanceof JsonObject entry && entry.getValue("config") instanceof JsonObject config
          && entry.getValue("verticle") instanceof String type && providers.containsKey(type)) {
        String name = entry.getValue("name") instanceof String n ? n : Integer.toString(i);
        for (String key : providers.get(type).options().environmentOnly()) {
          if (config.containsKey(key)) {
            throw new ConfigException("verticles[" + name + "].config." + key, "a secret is read from the environment, never the "
                + "deployment file: remove it and set " + EnvOverrides.PREFIX + "VERTICLES__" + EnvOverrides.upperSnake(name) + "__CONFIG__"
                + EnvOverrides.upperSnake(key) + " (or the variable the entry's own options name)");
          }
        }
      }
    }
  }

  /**
   * @return a copy with one more verticle, validated as an entry of the file would be
   * @throws ConfigException when its config is wrong or the name is taken
   */
  public Deployment withVerticle(String name, String type, int instances, JsonObject config) {
    VerticleProvider provider = providers().get(type);
    if (provider == null) {
      throw new ConfigException("verticles[" + name + "].verticle", "unknown verticle '" + type + "'");
    }
    if (verticles.stream().anyMatch(v -> v.name().equals(name))) {
      throw new ConfigException("verticles[" + name + "].name", "two verticles are named '" + name + "'; names must be unique");
    }
    JsonObject validated = validated(provider, name, provider.readsSources() ? linked(provider, config, verticles.toArray(VerticleSpec[]::new)) : config);
    List<VerticleSpec> updated = new ArrayList<>(verticles);
    updated.add(new VerticleSpec(name, provider, instances, validated));
    return new Deployment(file, kafka, cluster, embeddedDataDir, embeddedPort, adminEnabled, adminHost, adminPort, admin, tracing, updated, effective, overrides);
  }

  /**
   * A pipeline's spec with another config, validated as its entry of the file would be, with the
   * same keys in errors. May block (validation reads referenced files): not on an event loop.
   *
   * @throws ConfigException naming the bad key
   */
  VerticleSpec respec(VerticleSpec current, JsonObject config) {
    return new VerticleSpec(current.name(), current.provider(), current.instances(), validated(current.provider(), current.name(), config));
  }

  private JsonObject validated(VerticleProvider provider, String name, JsonObject config) {
    Path baseDir = file.toAbsolutePath().getParent();
    JsonObject kafkaJson = kafka.toJson();
    kafkaJson.remove("embedded");
    return provider.validate(merged(kafkaJson, cluster, name, config), "verticles[" + name + "].config", baseDir);
  }

  /** @return a consumer's config with the topics and configured processors of the sources among {@code specs} */
  private static JsonObject linked(VerticleProvider consumer, JsonObject config, VerticleSpec[] specs) {
    List<String> topics = new ArrayList<>();
    List<ai.pintxo.weaver.connector.RecordTopicOptions> routes = new ArrayList<>();
    for (VerticleSpec spec : specs) {
      if (spec != null && !spec.provider().readsSources()) {
        topics.addAll(spec.provider().recordTopics(spec.config()));
        routes.addAll(spec.provider().recordRoutes(spec.config()));
      }
    }
    return consumer.linkSources(config, topics, routes);
  }

  /**
   * The verticle's own {@code kafka} and {@code cluster} sections win over the top-level ones, key by
   * key; the pipeline is the entry's name.
   */
  private static JsonObject merged(JsonObject topLevelKafka, JsonObject topLevelCluster, String name, JsonObject verticleConfig) {
    JsonObject config = verticleConfig.copy();
    JsonObject own = config.getValue("kafka") instanceof JsonObject o ? o : new JsonObject();
    config.put("kafka", topLevelKafka.copy().mergeIn(own, true));
    JsonObject ownCluster = config.getValue("cluster") instanceof JsonObject o ? o : new JsonObject();
    config.put("cluster", topLevelCluster.copy().mergeIn(ownCluster, true).put("pipeline", name));
    return config;
  }

  /** @return the installed verticle providers by type */
  static Map<String, VerticleProvider> providers() {
    Map<String, VerticleProvider> map = new TreeMap<>();
    for (VerticleProvider provider : ServiceLoader.load(VerticleProvider.class, Deployment.class.getClassLoader())) {
      map.put(provider.type(), provider);
    }
    return map;
  }

  /** @return whether the weaver starts its own broker (no bootstrap servers configured) */
  public boolean embeddedKafka() {
    return kafka.getBootstrapServers().isBlank();
  }

  public Path file() {
    return file;
  }

  public KafkaOptions kafka() {
    return kafka;
  }

  public Path embeddedDataDir() {
    return embeddedDataDir;
  }

  public int embeddedPort() {
    return embeddedPort;
  }

  /** @return the embedded broker's controller port, 0 for a free one */
  public int embeddedControllerPort() {
    return kafka.getEmbedded().getControllerPort();
  }

  /** @return the {@code tracing} section: read when the runtime is created ({@link WeaverRuntime#WeaverRuntime(TracingOptions, Map)}) */
  public TracingOptions tracing() {
    return tracing;
  }

  public boolean adminEnabled() {
    return adminEnabled;
  }

  public String adminHost() {
    return adminHost;
  }

  public int adminPort() {
    return adminPort;
  }

  /** @return the cluster group: processes of one group share units and the control topic {@code <group>.control} */
  public String clusterGroup() {
    return new ai.pintxo.weaver.cluster.ClusterOptions(cluster).getGroup();
  }

  /** @return the admin endpoint's bearer token, or null when none is set */
  public String adminToken() {
    return admin.getToken();
  }

  /** @return how often the deployment file is checked for changes; zero when it is not watched */
  public java.time.Duration watchPeriod() {
    return admin.getWatch();
  }

  public List<VerticleSpec> verticles() {
    return verticles;
  }

  /** @return the complete effective configuration, secrets included: mask before printing */
  public JsonObject effective() {
    return effective.copy();
  }

  /** @return the names of the environment variables that overrode values */
  public List<String> overrides() {
    return overrides;
  }

  /** @return a copy whose verticles use the given bootstrap servers (the embedded broker's) */
  Deployment withBootstrapServers(String servers) {
    List<VerticleSpec> updated = new ArrayList<>();
    for (VerticleSpec v : verticles) {
      JsonObject config = v.config().copy();
      config.getJsonObject("kafka").put("bootstrapServers", servers);
      updated.add(new VerticleSpec(v.name(), v.provider(), v.instances(), config));
    }
    KafkaOptions kafkaWithServers = new KafkaOptions(kafka).setBootstrapServers(servers);
    return new Deployment(file, kafkaWithServers, cluster, embeddedDataDir, embeddedPort, adminEnabled, adminHost, adminPort, admin, tracing, updated,
        effective, overrides);
  }

  /** @return a copy with the verticles' configs transformed (used by the demo to point them at emulators) */
  public Deployment withVerticleConfigs(java.util.function.BiFunction<VerticleSpec, JsonObject, JsonObject> change) {
    List<VerticleSpec> updated = new ArrayList<>();
    for (VerticleSpec v : verticles) {
      updated.add(new VerticleSpec(v.name(), v.provider(), v.instances(), change.apply(v, v.config().copy())));
    }
    return new Deployment(file, kafka, cluster, embeddedDataDir, embeddedPort, adminEnabled, adminHost, adminPort, admin, tracing, updated, effective, overrides);
  }

  /** @return a copy with another admin port (0 picks a free one) */
  public Deployment withAdminPort(int port) {
    return new Deployment(file, kafka, cluster, embeddedDataDir, embeddedPort, adminEnabled, adminHost, port, admin, tracing, verticles, effective, overrides);
  }

  /** @return a copy whose embedded broker uses another directory and port */
  public Deployment withEmbedded(Path dataDir, int port) {
    return new Deployment(file, kafka, cluster, dataDir, port, adminEnabled, adminHost, adminPort, admin, tracing, verticles, effective, overrides);
  }
}
