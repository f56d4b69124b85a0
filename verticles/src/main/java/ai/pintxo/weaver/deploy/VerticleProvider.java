package ai.pintxo.weaver.deploy;

import ai.pintxo.weaver.config.OptionSpec;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Lets the launcher deploy a verticle named in a deployment file, found with {@code ServiceLoader}
 * ({@code META-INF/services/ai.pintxo.weaver.deploy.VerticleProvider}). A new verticle adds a
 * provider and a services line; the launcher has no list of verticles to edit.
 */
public interface VerticleProvider {

  /** @return the name deployment files use, e.g. {@code ApiPollerVerticle} */
  String type();

  /** @return the declarations of the verticle's options: validation, the reference, environment overrides */
  OptionSpec<?> options();

  /**
   * Validates a verticle's config before anything connects, and fills in every default. May block
   * (it reads referenced files): the launcher calls it on its main thread.
   *
   * @param config  the verticle's {@code config} object
   * @param path    its full key, e.g. {@code verticles[engine-connector].config}, for messages
   * @param baseDir the directory relative paths in the config are resolved against
   * @return the complete config, defaults included, with file paths made absolute
   * @throws ai.pintxo.weaver.config.ConfigException naming the bad key
   */
  JsonObject validate(JsonObject config, String path, Path baseDir);

  /** @return the most instances a process may deploy of one entry of this type */
  default int maxInstances() {
    return Integer.MAX_VALUE;
  }

  /** @return why {@link #maxInstances()} is what it is, for the error message */
  default String maxInstancesReason() {
    return "";
  }

  /**
   * @param config a config returned by {@link #validate}
   * @return a new verticle instance for it
   */
  Deployable create(JsonObject config);

  /**
   * The Kafka topics whose records this pipeline carries: what a source writes, what the engine
   * connector feeds to Vespa. {@code weaver schema <pipeline>} follows them to the processors and
   * their document types. May block (a source may read its endpoints file).
   *
   * @param config a config returned by {@link #validate}
   * @return the topic names, in config order; none for a verticle that carries no records
   */
  default java.util.List<String> recordTopics(JsonObject config) {
    return java.util.List.of();
  }
}
