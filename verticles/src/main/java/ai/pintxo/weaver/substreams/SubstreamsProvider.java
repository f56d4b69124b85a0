package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Deploys {@link SubstreamsVerticle} from a deployment file. Relative paths are resolved against the
 * deployment's directory; a local package is read and its output module checked up front, so a
 * wrong module name stops the launch (a package URL is fetched at start).
 */
public final class SubstreamsProvider implements VerticleProvider {

  static final String TYPE = "SubstreamsVerticle";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int maxInstances() {
    return 1;
  }

  @Override
  public String maxInstancesReason() {
    return "an entry is one substream, run by one instance; start more processes for failover";
  }

  @Override
  public OptionSpec<SubstreamsOptions> options() {
    return SubstreamsOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    SubstreamsOptions options = SubstreamsOptions.SPEC.read(config, path);
    String manifest = options.getManifestUrl();
    if (!manifest.startsWith("http://") && !manifest.startsWith("https://")) {
      Path file = baseDir.resolve(manifest.startsWith("file:") ? Path.of(java.net.URI.create(manifest)).toString() : manifest).normalize();
      options.setManifestUrl(file.toString());
      try {
        new SpkgLoader(Path.of(options.getCacheDir()), Duration.ofSeconds(60)).load(file.toString()).outputDescriptor(options.getOutputModule());
      } catch (PackageException e) {
        throw new ConfigException(options.key("manifestUrl"), e.getMessage());
      }
    }
    if (options.getCoinList() != null) {
      options.setCoinList(baseDir.resolve(options.getCoinList()).normalize().toString());
    }
    if (options.getApiKeyFile() != null) {
      options.setApiKeyFile(baseDir.resolve(options.getApiKeyFile()).normalize().toString());
    }
    return options.toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new SubstreamsVerticle(new SubstreamsOptions(config));
  }

  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return java.util.List.of(new SubstreamsOptions(config).topic());
  }
}
