package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Deploys {@link EngineConnectorVerticle} from a deployment file. */
public final class EngineConnectorProvider implements VerticleProvider {

  static final String TYPE = "EngineConnectorVerticle";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public OptionSpec<EngineConnectorOptions> options() {
    return EngineConnectorOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    return EngineConnectorOptions.SPEC.read(config, path).toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new EngineConnectorVerticle(new EngineConnectorOptions(config));
  }

  /** The topics it feeds to Vespa (its configured record topics are among them). */
  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return new EngineConnectorOptions(config).getTopics();
  }
}
