package ai.pintxo.weaver.pyth;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deploys {@link PythVerticle} from a deployment file; reads the feeds file up front so a broken file stops the launch. */
public final class PythProvider implements VerticleProvider {

  static final String TYPE = "PythVerticle";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public OptionSpec<PythOptions> options() {
    return PythOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    PythOptions options = PythOptions.SPEC.read(config, path);
    if (options.getFeedsFile() != null) {
      Path file = baseDir.resolve(options.getFeedsFile()).normalize();
      options.setFeedsFile(file.toString());
      try {
        PythOptions.parseFeedsFile(Buffer.buffer(Files.readAllBytes(file)), file.toString());
      } catch (IOException e) {
        throw new ConfigException(options.key("feedsFile"), "cannot read '" + file + "': " + e);
      } catch (ConfigException e) {
        // the parser names the file (and entry); the operator also needs the key that points to it
        throw new ConfigException(options.key("feedsFile"), e.key() + ": " + e.reason());
      }
    }
    return options.toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new PythVerticle(new PythOptions(config));
  }

  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return java.util.List.of(ai.pintxo.weaver.codecs.pyth.PythPrice.TOPIC.name());
  }
}
