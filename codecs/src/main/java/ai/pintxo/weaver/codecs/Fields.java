package ai.pintxo.weaver.codecs;

import java.util.List;
import java.util.Map;

/** Checks used by the compact constructors of payload records; the messages name the field. */
public final class Fields {

  private Fields() {
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException when it is null or blank
   */
  public static String requireText(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("required field '" + field + "' is blank");
    }
    return value;
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException when it is null
   */
  public static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    return value;
  }

  /**
   * @return an immutable copy, or null when absent
   * @throws IllegalArgumentException when an element is null
   */
  public static <T> List<T> copyOrNull(List<T> list, String field) {
    if (list == null) {
      return null;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException("field '" + field + "[" + i + "]' is null");
      }
    }
    return List.copyOf(list);
  }

  /**
   * @return an immutable copy keeping the source order, or null when absent
   * @throws IllegalArgumentException when a value is null
   */
  public static <V> Map<String, V> copyOrNull(Map<String, V> map, String field) {
    if (map == null) {
      return null;
    }
    Map<String, V> copy = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (v == null) {
        throw new IllegalArgumentException("field '" + field + "." + k + "' is null");
      }
      copy.put(k, v);
    });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
