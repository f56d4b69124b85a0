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

  /**
   * The topics this source writes whose processor is configured rather than installed (a declared
   * REST endpoint, a real-time stream with a {@code documentType}): what the deployment's engine
   * connectors add to their {@code records}, so no second list names them.
   *
   * @param config a config returned by {@link #validate}
   * @return one connector entry per such topic; none for a verticle that writes no such topic
   */
  default java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> recordRoutes(JsonObject config) {
    return java.util.List.of();
  }

  /** @return true for a consumer of the deployment's records (the engine connector), validated after the sources and linked to them */
  default boolean readsSources() {
    return false;
  }

  /**
   * Lets a consumer of the deployment's records (the engine connector) take the topics the
   * deployment's sources write, before its config is validated. The launcher calls it with every
   * source's {@link #recordTopics} and {@link #recordRoutes}.
   *
   * @param config       the verticle's config as written (not yet validated)
   * @param sourceTopics the topics the deployment's sources write, in deployment order
   * @param routes       the configured processors of those topics
   * @return the config to validate; by default the one given
   */
  default JsonObject linkSources(JsonObject config, java.util.List<String> sourceTopics,
                                 java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> routes) {
    return config;
  }
}
