package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a deployment through vertx-config: the file through a {@code file} store, the
 * {@code WEAVER_*} variables through an {@code env} store (raw text, so {@code 0042} stays a
 * string until the option's type reads it), later stores winning as vertx-config merges them. The
 * variables are then applied by the weaver's rule ({@link EnvOverrides}), which addresses list
 * entries by name, a thing vertx-config's merge cannot do. The retriever's scan period is what
 * watching the file for changes builds on.
 */
public final class DeploymentSource {

  private static final long READ_TIMEOUT_SECONDS = 30;

  private DeploymentSource() {
  }

  /**
   * @param file the deployment file
   * @param env  the environment whose {@code WEAVER_*} variables are read (null: none)
   * @return a retriever of the file and those variables
   */
  static ConfigRetriever retriever(Vertx vertx, Path file, Map<String, String> env) {
    return retriever(vertx, file, env, 0);
  }

  /**
   * @param scanPeriodMillis how often the retriever reads the stores again and tells its listeners
   *     when the result changed; 0: never
   * @return a retriever of the file and those variables
   */
  static ConfigRetriever retriever(Vertx vertx, Path file, Map<String, String> env, long scanPeriodMillis) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(scanPeriodMillis)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", file.toString())));
    JsonArray keys = new JsonArray();
    if (env != null) {
      env.keySet().stream().filter(EnvOverrides::isOverride).sorted().forEach(keys::add);
    }
    if (!keys.isEmpty()) {
      options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true).put("keys", keys)));
    }
    return ConfigRetriever.create(vertx, options);
  }

  /**
   * Reads and validates a deployment: the file and this process's environment.
   *
   * @throws ConfigException naming the file or key and the reason
   */
  public static Deployment load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Reads and validates a deployment with the {@code WEAVER_*} variables of the given environment.
   * Blocks the calling thread (the launcher's main thread, never an event loop).
   *
   * @throws ConfigException naming the file or key and the reason
   */
  public static Deployment load(Path file, Map<String, String> env) {
    if (!Files.isReadable(file)) {
      throw new ConfigException(file.toString(), "cannot read the deployment file: " + (Files.exists(file) ? "not readable" : "no such file"));
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject merged = read(vertx, file, env).toCompletionStage().toCompletableFuture().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return parse(merged, file, env);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DecodeException || cause instanceof ClassCastException || cause.getCause() instanceof DecodeException) {
        throw new ConfigException(file.toString(), "not a JSON object: " + ai.pintxo.weaver.config.JsonErrors.describe(cause));
      }
      throw new ConfigException(file.toString(), "cannot read the deployment file: " + cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(file.toString(), "interrupted while reading");
    } catch (TimeoutException e) {
      throw new ConfigException(file.toString(), "not read within " + READ_TIMEOUT_SECONDS + " s");
    } finally {
      vertx.close();
    }
  }

  /**
   * Validates what a retriever read. May block (verticles' validation reads referenced files).
   *
   * @param merged the retriever's result: the file's keys and the {@code WEAVER_*} variables beside them
   * @throws ConfigException naming the key and the reason
   */
  static Deployment parse(JsonObject merged, Path file, Map<String, String> env) {
    Map<String, String> overrides = overrides(merged, env);
    JsonObject root = merged.copy();
    overrides.keySet().forEach(root::remove);
    return Deployment.parse(root, file.toAbsolutePath().normalize(), overrides);
  }

  /** @return the merged stores: the file's keys and the {@code WEAVER_*} variables beside them */
  static Future<JsonObject> read(Vertx vertx, Path file, Map<String, String> env) {
    ConfigRetriever retriever = retriever(vertx, file, env);
    return retriever.getConfig().eventually(retriever::close);
  }

  /**
   * @return the override variables: their values as the env store read them, or, for a variable
   *     the process's environment lacks (a caller's own map, as tests give), the caller's value
   */
  private static Map<String, String> overrides(JsonObject merged, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    if (env != null) {
      env.forEach((k, v) -> {
        if (EnvOverrides.isOverride(k)) {
          out.put(k, merged.getValue(k) instanceof String fromStore ? fromStore : v);
        }
      });
    }
    return out;
  }
}
