package ai.pintxo.weaver.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the repository's YAML (compose, Kubernetes manifests, workflows) into plain maps and lists. */
final class YamlFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlFiles() {
  }

  /** @return the file's single document */
  static Map<String, Object> read(Path file) {
    List<Map<String, Object>> docs = readAll(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  /** @return every document of a multi-document file ({@code ---} separated), empty ones left out */
  static List<Map<String, Object>> readAll(Path file) {
    try (MappingIterator<Map<String, Object>> it = YAML.readerFor(new TypeReference<Map<String, Object>>() { }).readValues(file.toFile())) {
      List<Map<String, Object>> docs = new ArrayList<>();
      while (it.hasNextValue()) {
        Map<String, Object> doc = it.nextValue();
        if (doc != null && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not valid YAML", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** @return the value at a dotted path of map keys, or null */
  static Object at(Map<String, Object> root, String path) {
    Object node = root;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }
}
