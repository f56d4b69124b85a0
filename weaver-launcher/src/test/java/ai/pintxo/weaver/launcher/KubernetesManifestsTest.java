package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.YamlFiles.at;
import static ai.pintxo.weaver.launcher.YamlFiles.list;
import static ai.pintxo.weaver.launcher.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.config.Durations;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ops/k8s rendered as {@code kubectl apply -k} would (see {@link Kustomize}) and cross-checked: references
 * to ConfigMaps and Secrets resolve, probes ask real admin paths on the admin port, selectors match labels,
 * the KEDA ScaledObject targets the connector and stays within its partitions, and each pod's deployment
 * file loads through {@link Deployment} exactly as the pod would read it (the image's conf/ plus the
 * ConfigMap mount, the pod's environment applied).
 */
class KubernetesManifestsTest {

  private static final Path PROJECT = DeploymentTest.PROJECT;
  private static final Path K8S = PROJECT.resolve("ops/k8s");
  private static final DockerfileStages.Stage IMAGE = DockerfileStages.read(PROJECT.resolve("Dockerfile")).last();
  /** Seconds left after the preStop hook and the longest drain, for the Kafka clients to close. */
  private static final long CLOSE_MARGIN_SECONDS = 10;

  @TempDir
  Path root;

  record Rendered(String overlay, List<Map<String, Object>> resources, Map<String, Map<String, String>> secrets) {

    List<Map<String, Object>> ofKind(String kind) {
      return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Map<String, Object> get(String kind, String name) {
      return ofKind(kind).stream().filter(r -> name.equals(at(r, "metadata.name"))).findFirst().orElse(null);
    }
  }

  /** @return the overlay rendered; Secrets it does not create come from its secret.example.yaml (created by hand) */
  private static Rendered render(String overlay) {
    List<Map<String, Object>> resources = Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    List<Map<String, Object>> secretDocs = new ArrayList<>(resources.stream().filter(r -> "Secret".equals(r.get("kind"))).toList());
    Path example = K8S.resolve("overlays").resolve(overlay).resolve("secret.example.yaml");
    if (Files.exists(example)) {
      secretDocs.addAll(YamlFiles.readAll(example));
    }
    for (Map<String, Object> s : secretDocs) {
      Map<String, String> keys = new LinkedHashMap<>();
      map(s.get("data")).forEach((k, v) -> keys.put(k, new String(java.util.Base64.getDecoder().decode(v.toString()))));
      map(s.get("stringData")).forEach((k, v) -> keys.put(k, v.toString()));
      secrets.put(String.valueOf(at(s, "metadata.name")), keys);
    }
    return new Rendered(overlay, resources, secrets);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyReferencedConfigMapAndSecretKeyExists(String overlay) {
    Rendered r = render(overlay);
    List<String> dangling = new ArrayList<>();
    for (Map<String, Object> workload : r.ofKind("Deployment")) {
      String where = overlay + ": Deployment/" + at(workload, "metadata.name");
      for (Object v : list(at(workload, "spec.template.spec.volumes"))) {
        Map<String, Object> volume = map(v);
        if (volume.get("configMap") != null) {
          String name = String.valueOf(map(volume.get("configMap")).get("name"));
          Map<String, Object> cm = r.get("ConfigMap", name);
          if (cm == null) {
            dangling.add(where + ": volume " + volume.get("name") + ": no ConfigMap " + name);
            continue;
          }
          list(map(volume.get("configMap")).get("items")).forEach(item -> {
            if (!map(cm.get("data")).containsKey(String.valueOf(map(item).get("key")))) {
              dangling.add(where + ": volume " + volume.get("name") + ": ConfigMap " + name + " has no key " + map(item).get("key"));
            }
          });
        }
      }
      for (Map<String, Object> container : Kustomize.containers(workload)) {
        for (Object e : list(container.get("env"))) {
          Map<String, Object> ref = map(at(map(e), "valueFrom.secretKeyRef"));
          if (!ref.isEmpty()) {
            Map<String, String> secret = r.secrets().get(String.valueOf(ref.get("name")));
            if (secret == null || !secret.containsKey(String.valueOf(ref.get("key")))) {
              boolean optional = Boolean.TRUE.equals(ref.get("optional"));
              if (!optional || !overlay.equals("dev")) {
                dangling.add(where + ": env " + map(e).get("name") + ": Secret " + ref.get("name") + " has no key " + ref.get("key"));
              }
            }
          }
        }
      }
    }
    assertThat(dangling).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void probesAskTheAdminEndpointsPathsOnItsPort(String overlay) {
    Set<String> served = AdminServer.PROBE_PATHS;
    Rendered r = render(overlay);
    for (Map<String, Object> workload : r.ofKind("Deployment")) {
      String name = String.valueOf(at(workload, "metadata.name"));
      Deployment deployment = load(r, workload);
      Map<String, Object> container = Kustomize.containers(workload).get(0);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        Map<String, Object> get = map(at(map(container.get(probe)), "httpGet"));
        assertThat(get).as("%s: %s %s is an HTTP GET", overlay, name, probe).isNotEmpty();
        assertThat(served).as("%s: %s %s asks a path the admin endpoint serves without a token", overlay, name, probe)
            .contains(String.valueOf(get.get("path")));
        assertThat(containerPort(container, get.get("port"))).as("%s: %s %s port is admin.port", overlay, name, probe)
            .isEqualTo(deployment.adminPort());
      }
      assertThat(at(map(container.get("livenessProbe")), "httpGet.path")).as("%s: liveness: the process runs", name).isEqualTo("/health");
      assertThat(at(map(container.get("readinessProbe")), "httpGet.path")).as("%s: readiness: it delivers", name).isEqualTo("/ready");
      assertThat(deployment.adminHost()).as("%s: the probes come from the kubelet, not loopback", name).isNotIn("127.0.0.1", "localhost");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyPodsDeploymentFileLoadsWithItsEnvironment(String overlay) {
    Rendered r = render(overlay);
    for (Map<String, Object> workload : r.ofKind("Deployment")) {
      Deployment deployment = load(r, workload);
      Map<String, String> env = environment(r, Kustomize.containers(workload).get(0));
      JsonObject file = new JsonObject(readString(deploymentPath(r, workload)));
      env.keySet().stream().filter(EnvOverrides::isOverride).forEach(variable ->
          assertThat(OverrideKeys.resolve(variable, file)).as("%s: %s", overlay, variable).isNotBlank());
      assertThat(deployment.embeddedKafka()).as("%s: %s uses the cluster's Kafka", overlay, at(workload, "metadata.name")).isFalse();
      assertThat(deployment.adminToken()).as("%s: admin token from the Secret", overlay).isNotBlank();
    }
  }

  @Test
  void sourceReplicasShareTheirUnitsThroughOneClusterGroup() {
    for (String overlay : List.of("dev", "prod")) {
      Rendered r = render(overlay);
      Map<String, Object> sources = r.get("Deployment", "weaver-sources");
      Deployment deployment = load(r, sources);
      JsonObject file = new JsonObject(readString(deploymentPath(r, sources)));
      assertThat(file.getJsonObject("cluster", new JsonObject()).getString("group")).as("%s: cluster.group set in the file", overlay)
          .isNotBlank();
      for (VerticleSpec v : deployment.verticles()) {
        assertThat(v.config().getJsonObject("cluster").getBoolean("enabled")).as("%s: %s shares its units", overlay, v.name()).isTrue();
      }
    }
    assertThat(at(render("prod").get("Deployment", "weaver-sources"), "spec.replicas")).as("prod: a second pod takes over units").isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void labelsMatchSelectors(String overlay) {
    Rendered r = render(overlay);
    List<Map<String, String>> podLabels = new ArrayList<>();
    for (Map<String, Object> d : r.ofKind("Deployment")) {
      Map<String, String> labels = strings(at(d, "spec.template.metadata.labels"));
      assertThat(labels).as("%s: %s: the template carries the selector's labels", overlay, Kustomize.id(d))
          .containsAllEntriesOf(strings(at(d, "spec.selector.matchLabels")));
      podLabels.add(labels);
    }
    for (Map<String, Object> s : r.ofKind("Service")) {
      Map<String, String> selector = strings(at(s, "spec.selector"));
      assertThat(podLabels.stream().filter(l -> l.entrySet().containsAll(selector.entrySet())).count())
          .as("%s: %s selects the pods of exactly one Deployment", overlay, Kustomize.id(s)).isEqualTo(1);
    }
    for (Map<String, Object> pdb : r.ofKind("PodDisruptionBudget")) {
      Map<String, String> selector = strings(at(pdb, "spec.selector.matchLabels"));
      assertThat(podLabels.stream().filter(l -> l.entrySet().containsAll(selector.entrySet())).count())
          .as("%s: %s covers the pods of exactly one Deployment", overlay, Kustomize.id(pdb)).isEqualTo(1);
    }
    List<Map<String, Object>> monitors = r.ofKind("ServiceMonitor");
    assertThat(monitors).as("%s: a ServiceMonitor", overlay).isNotEmpty();
    for (Map<String, Object> m : monitors) {
      Map<String, String> selector = strings(at(m, "spec.selector.matchLabels"));
      List<Map<String, Object>> selected = r.ofKind("Service").stream()
          .filter(s -> strings(at(s, "metadata.labels")).entrySet().containsAll(selector.entrySet())).toList();
      assertThat(selected).as("%s: %s selects the weaver's Services", overlay, Kustomize.id(m)).hasSize(r.ofKind("Deployment").size());
      for (Object endpoint : list(at(m, "spec.endpoints"))) {
        assertThat(map(endpoint).get("path")).isEqualTo("/metrics");
        for (Map<String, Object> s : selected) {
          assertThat(list(at(s, "spec.ports")).stream().map(p -> map(p).get("name")))
              .as("%s: %s has the port %s scrapes", overlay, Kustomize.id(s), Kustomize.id(m)).contains(map(endpoint).get("port"));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kedaScalesTheConnectorOnItsConsumerGroupWithinItsPartitions(String overlay) {
    Rendered r = render(overlay);
    List<Map<String, Object>> scaled = r.ofKind("ScaledObject");
    assertThat(scaled).as("%s: a ScaledObject", overlay).hasSize(1);
    Map<String, Object> so = scaled.get(0);
    String target = String.valueOf(at(so, "spec.scaleTargetRef.name"));
    Map<String, Object> workload = r.get("Deployment", target);
    assertThat(workload).as("%s: the ScaledObject targets Deployment %s", overlay, target).isNotNull();
    assertThat(at(workload, "spec.replicas")).as("%s: %s leaves its replica count to KEDA", overlay, target).isNull();
    Deployment deployment = load(r, workload);
    VerticleSpec connector = deployment.verticles().stream().filter(v -> v.provider().type().equals("EngineConnectorVerticle")).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + ": " + target + " runs no EngineConnectorVerticle"));
    Map<String, Object> trigger = map(list(at(so, "spec.triggers")).get(0));
    assertThat(trigger.get("type")).isEqualTo("kafka");
    Map<String, Object> metadata = map(trigger.get("metadata"));
    assertThat(metadata.get("consumerGroup")).as("%s: KEDA reads the lag of the connector's group", overlay)
        .isEqualTo(connector.config().getString("groupId"));
    assertThat(metadata.get("bootstrapServers")).as("%s: of the connector's Kafka", overlay)
        .isEqualTo(connector.config().getJsonObject("kafka").getString("bootstrapServers"));
    int partitions = connector.config().getJsonObject("kafka").getInteger("topicPartitions");
    int max = ((Number) at(so, "spec.maxReplicaCount")).intValue();
    int min = ((Number) at(so, "spec.minReplicaCount")).intValue();
    assertThat(max * connector.instances()).as("%s: maxReplicaCount (%d) × instances per pod (%d) ≤ partitions per topic (%d): "
        + "the range assignor leaves any more consumers idle", overlay, max, connector.instances(), partitions).isLessThanOrEqualTo(partitions);
    assertThat(min).isBetween(1, max);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theGracePeriodCoversPreStopAndTheDrain(String overlay) {
    Rendered r = render(overlay);
    for (Map<String, Object> workload : r.ofKind("Deployment")) {
      Deployment deployment = load(r, workload);
      Duration drain = Duration.ZERO;
      for (VerticleSpec v : deployment.verticles()) {
        drain = max(drain, Durations.parse(v.config().getJsonObject("cluster").getString("revokeTimeout")));
        if (v.config().getValue("shutdownTimeout") instanceof String s) {
          drain = max(drain, Durations.parse(s));
        }
      }
      Map<String, Object> container = Kustomize.containers(workload).get(0);
      List<Object> preStop = list(at(map(container.get("lifecycle")), "preStop.exec.command"));
      assertThat(preStop).as("%s: %s has a preStop sleep", overlay, Kustomize.id(workload)).hasSize(2).first().isEqualTo("sleep");
      long sleep = Long.parseLong(preStop.get(1).toString());
      long grace = ((Number) at(workload, "spec.template.spec.terminationGracePeriodSeconds")).longValue();
      assertThat(grace).as("%s: %s terminationGracePeriodSeconds ≥ preStop %ds + drain %ds + %ds to close", overlay, Kustomize.id(workload),
          sleep, drain.toSeconds(), CLOSE_MARGIN_SECONDS).isGreaterThanOrEqualTo(sleep + drain.toSeconds() + CLOSE_MARGIN_SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void podsRunTheImagePinnedAndAsNonRoot(String overlay) {
    Rendered r = render(overlay);
    String uid = IMAGE.last("USER").orElseThrow().arguments().split(":")[0];
    for (Map<String, Object> workload : r.ofKind("Deployment")) {
      for (Map<String, Object> c : Kustomize.containers(workload)) {
        assertThat(ImageTags.floating(String.valueOf(c.get("image")))).as("%s: %s image %s", overlay, Kustomize.id(workload), c.get("image"))
            .isEmpty();
      }
      assertThat(at(workload, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
      assertThat(String.valueOf(at(workload, "spec.template.spec.securityContext.runAsUser"))).as("the image's USER").isEqualTo(uid);
      assertThat(r.resources()).allSatisfy(res -> {
        if (!"Namespace".equals(res.get("kind"))) {
          assertThat(at(res, "metadata.namespace")).as("%s: %s namespace", overlay, Kustomize.id(res)).isNotNull();
        }
      });
    }
  }

  // --- the pod as it runs: the image's files, the ConfigMap mounts, the environment ---

  /** @return the pod's deployment file loaded as the pod would: the image's conf/, the mounted ConfigMap, the pod's environment */
  private Deployment load(Rendered r, Map<String, Object> workload) {
    try {
      return Deployment.load(deploymentPath(r, workload), environment(r, Kustomize.containers(workload).get(0)));
    } catch (ai.pintxo.weaver.config.ConfigException e) {
      throw new AssertionError(r.overlay() + ": " + Kustomize.id(workload) + ": its deployment file does not load: " + e.getMessage(), e);
    }
  }

  /** Lays out the container's file system under a temp dir and returns where its deployment file is. */
  private Path deploymentPath(Rendered r, Map<String, Object> workload) {
    Path fs = root.resolve(r.overlay()).resolve(String.valueOf(at(workload, "metadata.name")));
    Map<String, Object> container = Kustomize.containers(workload).get(0);
    try {
      Path conf = fs.resolve("weaver/conf");
      Files.createDirectories(conf);
      try (Stream<Path> files = Files.list(PROJECT.resolve("conf"))) {
        for (Path f : files.toList()) { // the image's COPY conf/ /weaver/conf/
          Files.copy(f, conf.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (Object m : list(container.get("volumeMounts"))) {
        Map<String, Object> mount = map(m);
        Map<String, Object> volume = list(at(workload, "spec.template.spec.volumes")).stream().map(YamlFiles::map)
            .filter(v -> Objects.equals(v.get("name"), mount.get("name"))).findFirst().orElseThrow(() ->
                new AssertionError(Kustomize.id(workload) + ": volumeMount " + mount.get("name") + " names no volume"));
        if (volume.get("configMap") == null) {
          continue;
        }
        Map<String, Object> cm = r.get("ConfigMap", String.valueOf(map(volume.get("configMap")).get("name")));
        Path dir = fs.resolve(String.valueOf(mount.get("mountPath")).substring(1));
        Files.createDirectories(dir);
        for (Object item : list(map(volume.get("configMap")).get("items"))) {
          Files.writeString(dir.resolve(String.valueOf(map(item).get("path"))), String.valueOf(map(cm.get("data")).get(map(item).get("key"))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Object> args = list(container.get("args"));
    assertThat(args).as("%s: args are [run, <deployment file>]", Kustomize.id(workload)).hasSize(2).first().isEqualTo("run");
    String workdir = IMAGE.last("WORKDIR").orElseThrow().arguments();
    String inContainer = args.get(1).toString().startsWith("/") ? args.get(1).toString() : workdir + "/" + args.get(1);
    Path file = fs.resolve(inContainer.substring(1));
    assertThat(file).as("%s: %s exists in the pod (image conf/ or a ConfigMap mount)", Kustomize.id(workload), inContainer).exists();
    return file;
  }

  private static Map<String, String> environment(Rendered r, Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : list(container.get("env"))) {
      Map<String, Object> var = map(e);
      String name = String.valueOf(var.get("name"));
      if (var.get("value") != null) {
        env.put(name, var.get("value").toString());
      } else if (at(var, "valueFrom.secretKeyRef") != null) {
        Map<String, Object> ref = map(at(var, "valueFrom.secretKeyRef"));
        String value = r.secrets().getOrDefault(String.valueOf(ref.get("name")), Map.of()).get(String.valueOf(ref.get("key")));
        if (value != null) {
          env.put(name, value);
        }
      } else if (at(var, "valueFrom.fieldRef") != null) {
        env.put(name, "pod-" + String.valueOf(at(var, "valueFrom.fieldRef.fieldPath")).replace('.', '-'));
      }
    }
    return env;
  }

  private static int containerPort(Map<String, Object> container, Object port) {
    if (port instanceof Number n) {
      return n.intValue();
    }
    return list(container.get("ports")).stream().map(YamlFiles::map).filter(p -> Objects.equals(p.get("name"), port))
        .map(p -> ((Number) p.get("containerPort")).intValue()).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port));
  }

  private static Map<String, String> strings(Object labels) {
    Map<String, String> out = new LinkedHashMap<>();
    map(labels).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
