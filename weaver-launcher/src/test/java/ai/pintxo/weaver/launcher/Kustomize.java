package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.YamlFiles.list;
import static ai.pintxo.weaver.launcher.YamlFiles.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code kustomize build} that ops/k8s uses, so a test can render the overlays without the
 * kustomize binary: {@code resources} (files and directories with their own kustomization), {@code namespace},
 * {@code images} (newName/newTag) and {@code patches} by path (strategic merge for built-in kinds: lists of
 * named items merge by name; JSON merge for custom resources: lists are replaced). Any other kustomization
 * field is refused, so the manifests cannot quietly outgrow what the test renders.
 */
final class Kustomize {

  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");
  private static final Set<String> BUILT_IN = Set.of("Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget", "Namespace");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

  private Kustomize() {
  }

  /** @return the rendered resources of the kustomization in {@code dir} */
  static List<Map<String, Object>> build(Path dir) {
    Map<String, Object> k = YamlFiles.read(dir.resolve("kustomization.yaml"));
    for (String field : k.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + field + "' is not rendered by this test's Kustomize "
            + "(supported: " + SUPPORTED + ")");
      }
    }
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object entry : list(k.get("resources"))) {
      Path path = dir.resolve(entry.toString()).normalize();
      if (Files.isDirectory(path)) {
        resources.addAll(build(path));
      } else {
        resources.addAll(YamlFiles.readAll(path));
      }
    }
    Set<String> ids = new java.util.HashSet<>();
    for (Map<String, Object> r : resources) {
      if (!ids.add(id(r))) {
        throw new IllegalArgumentException(dir + ": " + id(r) + " is declared twice");
      }
    }
    for (Object patchEntry : list(k.get("patches"))) {
      Map<String, Object> patch = map(patchEntry);
      if (patch.containsKey("target") || !patch.containsKey("path")) {
        throw new IllegalArgumentException(dir + ": only patches by path, matched by kind and name, are rendered: " + patch);
      }
      for (Map<String, Object> doc : YamlFiles.readAll(dir.resolve(patch.get("path").toString()))) {
        Map<String, Object> target = resources.stream().filter(r -> id(r).equals(id(doc))).findFirst().orElseThrow(() ->
            new IllegalArgumentException(dir + "/" + patch.get("path") + ": patches " + id(doc) + ", which no resource declares"));
        merge(target, doc, BUILT_IN.contains(String.valueOf(doc.get("kind"))));
      }
    }
    for (Object imageEntry : list(k.get("images"))) {
      Map<String, Object> image = map(imageEntry);
      resources.forEach(r -> containers(r).forEach(c -> retag(c, image)));
    }
    if (k.get("namespace") instanceof String namespace) {
      resources.stream().filter(r -> !CLUSTER_SCOPED.contains(String.valueOf(r.get("kind"))))
          .forEach(r -> metadata(r).put("namespace", namespace));
    }
    return resources;
  }

  /** @return {@code Kind/name} */
  static String id(Map<String, Object> resource) {
    return resource.get("kind") + "/" + map(resource.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> resource) {
    return (Map<String, Object>) resource.computeIfAbsent("metadata", m -> new LinkedHashMap<>());
  }

  /** @return the containers of a workload's pod template (empty for other kinds) */
  static List<Map<String, Object>> containers(Map<String, Object> resource) {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Object> podSpec = map(YamlFiles.at(resource, "spec.template.spec"));
    list(podSpec.get("initContainers")).forEach(c -> out.add(map(c)));
    list(podSpec.get("containers")).forEach(c -> out.add(map(c)));
    return out;
  }

  private static void retag(Map<String, Object> container, Map<String, Object> image) {
    String current = String.valueOf(container.get("image"));
    int colon = current.lastIndexOf(':') > current.lastIndexOf('/') ? current.lastIndexOf(':') : current.length();
    String name = current.substring(0, colon);
    if (!name.equals(image.get("name"))) {
      return;
    }
    String newName = image.get("newName") instanceof String n ? n : name;
    String tag = image.get("newTag") != null ? ":" + image.get("newTag") : current.substring(colon);
    container.put("image", newName + tag);
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> target, Map<String, Object> patch, boolean strategic) {
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      Object current = target.get(e.getKey());
      Object value = e.getValue();
      if (value == null) {
        target.remove(e.getKey());
      } else if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
        merge((Map<String, Object>) c, (Map<String, Object>) m, strategic);
      } else if (strategic && value instanceof List<?> l && current instanceof List<?> c && named(l) && named(c)) {
        List<Object> merged = new ArrayList<>(c);
        for (Object item : l) {
          Object name = map(item).get("name");
          Map<String, Object> existing = merged.stream().map(YamlFiles::map).filter(x -> name.equals(x.get("name"))).findFirst().orElse(null);
          if (existing == null) {
            merged.add(item);
          } else {
            merge(existing, map(item), true);
          }
        }
        target.put(e.getKey(), merged);
      } else {
        target.put(e.getKey(), value);
      }
    }
  }

  private static boolean named(List<?> items) {
    return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
  }
}
