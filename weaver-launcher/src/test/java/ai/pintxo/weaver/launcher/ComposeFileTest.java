package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.YamlFiles.list;
import static ai.pintxo.weaver.launcher.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile, read as Docker would (no Docker engine runs here): what a
 * user hits on the first {@code docker compose up} is found in the build instead. {@code docker compose
 * config} and {@code docker build} themselves run in CI's Docker job.
 */
class ComposeFileTest {

  private static final Path PROJECT = DeploymentTest.PROJECT;
  private static final Map<String, Object> COMPOSE = YamlFiles.read(PROJECT.resolve("docker-compose.yml"));
  private static final Map<String, Object> SERVICES = map(COMPOSE.get("services"));
  private static final DockerfileStages DOCKERFILE = DockerfileStages.read(PROJECT.resolve("Dockerfile"));
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

  @Test
  void everyBindMountedPathExistsInTheRepository() {
    List<String> missing = new ArrayList<>();
    SERVICES.forEach((service, definition) -> {
      for (Mount mount : mounts(map(definition))) {
        if (mount.bind() && !Files.exists(PROJECT.resolve(mount.source()).normalize())) {
          missing.add(service + ": " + mount.source() + " (mounted at " + mount.target() + ")");
        }
      }
      Object build = map(definition).get("build");
      if (build != null) {
        String context = build instanceof String s ? s : (String) map(build).getOrDefault("context", ".");
        String dockerfile = (String) map(build).getOrDefault("dockerfile", "Dockerfile");
        if (!Files.isRegularFile(PROJECT.resolve(context).resolve(dockerfile))) {
          missing.add(service + ": build " + context + "/" + dockerfile);
        }
      }
    });
    assertThat(missing).as("bind mounts and build files that do not exist (Docker would create an empty directory)").isEmpty();
  }

  @Test
  void namedVolumesAreDeclaredAndKeepKafkaAndVespaData() {
    Map<String, Object> declared = map(COMPOSE.get("volumes"));
    Map<String, String> named = new TreeMap<>();
    SERVICES.forEach((service, definition) -> mounts(map(definition)).stream().filter(m -> !m.bind())
        .forEach(m -> named.put(service + ":" + m.target(), m.source())));
    assertThat(named.values()).as("named volumes used by services must be declared at the top level").allSatisfy(v ->
        assertThat(declared).containsKey(v));
    assertThat(named).as("Kafka's log directory (KAFKA_LOG_DIRS) is a named volume").containsKey("kafka:"
        + environment("kafka").get("KAFKA_LOG_DIRS"));
    assertThat(named).as("Vespa's data (/opt/vespa/var) is a named volume").containsKey("vespa:/opt/vespa/var");
  }

  @Test
  void everyWeaverVariableSetsADeclaredKeyAndTheDeploymentLoadsWithThem() {
    Map<String, String> env = environment("weaver");
    Path file = deploymentFile("weaver");
    JsonObject deployment = new JsonObject(read(file));
    List<String> unknown = new ArrayList<>();
    env.keySet().stream().filter(k -> k.startsWith(EnvOverrides.PREFIX)).sorted().forEach(variable -> {
      try {
        OverrideKeys.resolve(variable, deployment);
      } catch (IllegalArgumentException e) {
        unknown.add("weaver: " + e.getMessage());
      }
    });
    assertThat(unknown).as("WEAVER_ variables of the weaver service that set no declared key").isEmpty();
    assertThat(env).as("the admin endpoint listens off loopback in a container, so it needs a token").containsKey("WEAVER_ADMIN__TOKEN");

    Deployment loaded = Deployment.load(file, env);
    assertThat(loaded.adminHost()).as("reachable through the published port").isEqualTo("0.0.0.0");
    String kafka = loaded.kafka().getBootstrapServers();
    assertThat(kafka).as("Kafka by its service name and internal listener").isEqualTo("kafka:" + listenerPort("INTERNAL"));
    for (VerticleSpec v : loaded.verticles()) {
      if (v.config().getValue("vespa") instanceof JsonObject vespa) {
        URI endpoint = URI.create(vespa.getString("endpoint"));
        assertThat(SERVICES).as("%s feeds Vespa at %s: a compose service", v.name(), endpoint).containsKey(endpoint.getHost());
        assertThat(containerPorts(endpoint.getHost())).as("%s: Vespa's container port", v.name()).contains(endpoint.getPort());
      }
    }
    assertThat(ports("weaver")).as("the admin port is published").containsValue(loaded.adminPort());
    URI otlp = URI.create(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(SERVICES).as("traces go to %s: a compose service", otlp).containsKey(otlp.getHost());
    assertThat(env).as("the sampler is explicit").containsKeys("OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG");
  }

  @Test
  void kafkaAdvertisesAnAddressToContainersAndOneToTheHost() {
    Map<String, String> kafka = environment("kafka");
    assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).as("containers resolve kafka, the host resolves localhost")
        .contains("INTERNAL://kafka:" + listenerPort("INTERNAL")).contains("EXTERNAL://localhost:" + listenerPort("EXTERNAL"));
    assertThat(ports("kafka")).as("the external listener is published on the same port it advertises")
        .containsEntry(listenerPort("EXTERNAL"), listenerPort("EXTERNAL"));
  }

  @Test
  void noTwoServicesPublishTheSameHostPort() {
    Map<Integer, String> owners = new HashMap<>();
    List<String> collisions = new ArrayList<>();
    SERVICES.keySet().forEach(service -> ports(service).keySet().forEach(host -> {
      String previous = owners.putIfAbsent(host, service);
      if (previous != null) {
        collisions.add("host port " + host + ": " + previous + " and " + service);
      }
    }));
    assertThat(collisions).isEmpty();
  }

  @Test
  void everyImageIsPinnedToAnExactVersion() {
    List<String> floating = new ArrayList<>();
    SERVICES.forEach((service, definition) -> {
      Map<String, Object> d = map(definition);
      if (d.containsKey("build")) {
        return; // built here from the Dockerfile, whose bases are checked below
      }
      ImageTags.floating((String) d.get("image")).ifPresent(why -> floating.add(service + ": " + d.get("image") + ": " + why));
    });
    for (DockerfileStages.Stage stage : DOCKERFILE.stages()) {
      ImageTags.floating(stage.image()).ifPresent(why -> floating.add("Dockerfile FROM " + stage.image() + ": " + why));
    }
    assertThat(floating).isEmpty();
  }

  @Test
  void theWeaverStartsOnlyAfterTheVespaApplicationIsDeployedAndKafkaIsHealthy() {
    Map<String, Object> dependsOn = map(map(SERVICES.get("weaver")).get("depends_on"));
    assertThat(map(dependsOn.get("vespa-deploy")).get("condition")).as("weaver waits for vespa-deploy to finish")
        .isEqualTo("service_completed_successfully");
    assertThat(map(dependsOn.get("kafka")).get("condition")).as("weaver waits for a healthy Kafka").isEqualTo("service_healthy");
    assertThat(mounts(map(SERVICES.get("vespa-deploy")))).as("vespa-deploy deploys ops/vespa")
        .anySatisfy(m -> assertThat(PROJECT.resolve(m.source()).normalize()).isEqualTo(PROJECT.resolve("ops/vespa")));
    List<String> dangling = new ArrayList<>();
    SERVICES.forEach((service, definition) -> {
      Object deps = map(definition).get("depends_on");
      Iterable<?> names = deps instanceof List<?> l ? l : map(deps).keySet();
      names.forEach(n -> {
        if (!SERVICES.containsKey(n)) {
          dangling.add(service + " depends on unknown " + n);
        }
      });
    });
    assertThat(dangling).isEmpty();
  }

  @Test
  void longRunningServicesRestartAndAreMemoryBounded() {
    List<String> problems = new ArrayList<>();
    SERVICES.forEach((service, definition) -> {
      Map<String, Object> d = map(definition);
      if ("no".equals(String.valueOf(d.get("restart")))) {
        return; // a one-shot step
      }
      if (d.get("restart") == null) {
        problems.add(service + ": no restart policy");
      }
      if (d.get("mem_limit") == null) {
        problems.add(service + ": no mem_limit (the memory it needs is documented there)");
      }
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void theImageRunsAsANonRootUserAndProbesReadinessOnTheAdminPort() {
    DockerfileStages.Stage runtime = DOCKERFILE.last();
    assertThat(DOCKERFILE.stages()).as("multi-stage: a Maven build, then the runtime").hasSizeGreaterThanOrEqualTo(2);
    assertThat(DOCKERFILE.stages().get(0).instructions()).as("the build stage packages the jars")
        .anySatisfy(i -> assertThat(i.arguments()).contains("mvn -B -DskipTests package"));
    String user = runtime.last("USER").map(DockerfileStages.Instruction::arguments)
        .orElseThrow(() -> new AssertionError("Dockerfile: the final stage has no USER: the weaver would run as root"));
    assertThat(user.split(":")[0]).as("Dockerfile: final stage USER").isNotIn("root", "0");
    assertThat(user.split(":")[0]).as("Dockerfile: a numeric uid, which Kubernetes' runAsNonRoot can verify").matches("\\d+");
    String healthcheck = runtime.last("HEALTHCHECK").map(DockerfileStages.Instruction::arguments)
        .orElseThrow(() -> new AssertionError("Dockerfile: the final stage has no HEALTHCHECK"));
    int adminPort = Deployment.load(deploymentFile("weaver"), environment("weaver")).adminPort();
    assertThat(healthcheck).as("Dockerfile HEALTHCHECK asks /ready on the admin port").contains("/ready").contains("/" + adminPort);
    assertThat(runtime.last("ENTRYPOINT").orElseThrow().arguments()).as("exec form: the JVM gets SIGTERM and drains")
        .startsWith("[").contains("weaver-all.jar");
  }

  @Test
  void ciRunsTheReadmeTestCommandAndTheDockerParts() {
    Map<String, Object> workflow = YamlFiles.read(PROJECT.resolve(".github/workflows/ci.yml"));
    List<String> runs = new ArrayList<>();
    map(workflow.get("jobs")).values().forEach(job -> list(map(job).get("steps")).forEach(step -> {
      Object run = map(step).get("run");
      if (run != null) {
        runs.add(run.toString());
      }
    }));
    assertThat(runs).as("CI runs exactly what .ci/run runs").anySatisfy(r -> assertThat(r.strip()).isEqualTo("bash .ci/run"));
    assertThat(runs).as("CI builds the image").anySatisfy(r -> assertThat(r).contains("docker build"));
    assertThat(runs).as("CI validates the compose file").anySatisfy(r -> assertThat(r).contains("docker compose config"));
  }

  // --- reading compose as Docker does ---

  record Mount(String source, String target, boolean bind) {
  }

  private static List<Mount> mounts(Map<String, Object> service) {
    List<Mount> mounts = new ArrayList<>();
    for (Object volume : list(service.get("volumes"))) {
      if (volume instanceof String s) {
        String[] parts = s.split(":");
        boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~");
        mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0], bind));
      } else {
        Map<String, Object> v = map(volume);
        mounts.add(new Mount(String.valueOf(v.get("source")), String.valueOf(v.get("target")), "bind".equals(v.get("type"))));
      }
    }
    return mounts;
  }

  /** @return the service's environment as the container sees it: ${VAR:-default} takes its default, ${VAR} a placeholder */
  private static Map<String, String> environment(String service) {
    Object env = map(SERVICES.get(service)).get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env instanceof List<?> l) {
      l.forEach(e -> {
        String[] kv = e.toString().split("=", 2);
        out.put(kv[0], interpolate(kv.length > 1 ? kv[1] : ""));
      });
    } else {
      map(env).forEach((k, v) -> out.put(k, interpolate(String.valueOf(v))));
    }
    return out;
  }

  private static String interpolate(String value) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) != null ? m.group(2) : "set-by-the-user"));
    }
    return m.appendTail(out).toString().replace("$$", "$");
  }

  /** @return host port → container port of the service's published ports */
  private static Map<Integer, Integer> ports(String service) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (Object p : list(map(SERVICES.get(service)).get("ports"))) {
      if (p instanceof String s) {
        String[] parts = s.split("/")[0].split(":");
        int container = Integer.parseInt(parts[parts.length - 1]);
        int host = parts.length >= 2 ? Integer.parseInt(parts[parts.length - 2]) : container;
        out.put(host, container);
      } else {
        Map<String, Object> m = map(p);
        out.put(Integer.parseInt(String.valueOf(m.get("published"))), Integer.parseInt(String.valueOf(m.get("target"))));
      }
    }
    return out;
  }

  /** @return the ports a service's container listens on, as far as compose says (published or its healthcheck's) */
  private static List<Integer> containerPorts(String service) {
    return new ArrayList<>(ports(service).values());
  }

  private static int listenerPort(String listener) {
    Matcher m = Pattern.compile(listener + "://[^:]*:(\\d+)").matcher(environment("kafka").get("KAFKA_LISTENERS"));
    assertThat(m.find()).as("kafka: KAFKA_LISTENERS declares %s", listener).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /**
   * @return the deployment file the service runs, in the repository: its command's file, relative to the
   * image's WORKDIR, through the service's bind mounts
   */
  private static Path deploymentFile(String service) {
    List<Object> command = list(map(SERVICES.get(service)).get("command"));
    assertThat(command).as("%s: command is [run, <deployment file>]", service).hasSize(2).first().isEqualTo("run");
    String workdir = DOCKERFILE.last().last("WORKDIR").orElseThrow().arguments();
    String inContainer = command.get(1).toString().startsWith("/") ? command.get(1).toString() : workdir + "/" + command.get(1);
    for (Mount mount : mounts(map(SERVICES.get(service)))) {
      if (mount.bind() && inContainer.startsWith(mount.target() + "/")) {
        return PROJECT.resolve(mount.source()).resolve(inContainer.substring(mount.target().length() + 1)).normalize();
      }
    }
    throw new AssertionError(service + ": " + inContainer + " is not under a bind mount of the repository");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError(file + ": cannot be read", e);
    }
  }
}
