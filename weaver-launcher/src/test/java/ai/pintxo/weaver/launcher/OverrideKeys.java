package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves a {@code WEAVER_…} override variable to the configuration key it sets, through the option
 * declarations ({@link DeploymentConfig#SPEC}, then each verticle type's spec), the way
 * {@link EnvOverrides} addresses the tree: keys in UPPER_SNAKE_CASE joined by {@code __}, list entries
 * by their name. Deployment files deliberately stay open to keys the file does not hold yet (an override
 * adds them), so a misspelt variable would only fail at start; this finds it in a test instead.
 */
final class OverrideKeys {

  private OverrideKeys() {
  }

  /**
   * @param variable   e.g. {@code WEAVER_VERTICLES__ENGINE_CONNECTOR__CONFIG__VESPA__ENDPOINT}
   * @param deployment the deployment file the variable applies to (list entries are looked up by name in it)
   * @return the key, e.g. {@code verticles[engine-connector].config.vespa.endpoint}
   * @throws IllegalArgumentException naming the variable and the segment that matches no declared key
   */
  static String resolve(String variable, JsonObject deployment) {
    if (!EnvOverrides.isOverride(variable)) {
      throw new IllegalArgumentException(variable + ": not an override (WEAVER_ and at least one double underscore)");
    }
    String[] segments = variable.substring(EnvOverrides.PREFIX.length()).split("__", -1);
    return walk(variable, DeploymentConfig.SPEC, deployment, segments, 0, "");
  }

  private static String walk(String variable, OptionSpec<?> spec, JsonObject json, String[] segments, int i, String path) {
    String segment = segments[i];
    Option<?> option = spec.options().stream().filter(o -> EnvOverrides.upperSnake(o.name()).equals(segment)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(variable + ": no key " + segment + " under '" + (path.isEmpty() ? "(top)" : path)
            + "' (declared: " + spec.options().stream().map(o -> EnvOverrides.upperSnake(o.name())).collect(Collectors.joining(", ")) + ")"));
    String key = path.isEmpty() ? option.name() : path + "." + option.name();
    if (i == segments.length - 1) {
      return key;
    }
    Object child = json == null ? null : json.getValue(option.name());
    if (spec == VerticleEntry.SPEC && option.name().equals("config")) {
      String type = json == null ? null : json.getString("verticle");
      VerticleProvider provider = Deployment.providers().get(type);
      if (provider == null) {
        throw new IllegalArgumentException(variable + ": '" + path + "' has no known verticle type (" + type + ")");
      }
      return walk(variable, provider.options(), child instanceof JsonObject o ? o : null, segments, i + 1, key);
    }
    OptionSpec<?> nested = option.type().nested();
    if (nested == null) {
      if (option.type().describe().startsWith("object of strings")) {
        // a free map (kafka.properties): the rest of the path is one dotted Kafka property name
        return key + "." + String.join(".", Arrays.copyOfRange(segments, i + 1, segments.length)).toLowerCase().replace('_', '.');
      }
      throw new IllegalArgumentException(variable + ": '" + key + "' is a " + option.type().describe() + ", it has no keys below it");
    }
    if (option.type().describe().startsWith("list")) {
      String name = segments[i + 1];
      JsonObject entry = entry(child instanceof JsonArray a ? a : null, name).orElseThrow(() -> new IllegalArgumentException(
          variable + ": no entry named " + name + " in '" + key + "' of the deployment file"));
      if (i + 2 >= segments.length) {
        throw new IllegalArgumentException(variable + ": names a whole list entry of '" + key + "'");
      }
      return walk(variable, nested, entry, segments, i + 2, key + "[" + entry.getString("name", name) + "]");
    }
    return walk(variable, nested, child instanceof JsonObject o ? o : null, segments, i + 1, key);
  }

  private static Optional<JsonObject> entry(JsonArray list, String segment) {
    if (list == null) {
      return Optional.empty();
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.getValue(i) instanceof JsonObject o && o.getValue("name") instanceof String name && EnvOverrides.upperSnake(name).equals(segment)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
