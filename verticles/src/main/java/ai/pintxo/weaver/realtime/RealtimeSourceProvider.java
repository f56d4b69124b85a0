package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Deploys {@link RealtimeSourceVerticle} from a deployment file; record classes are loaded and checked at validation. */
public final class RealtimeSourceProvider implements VerticleProvider {

  @Override
  public String type() {
    return "RealtimeSourceVerticle";
  }

  @Override
  public JsonObject validate(ConfigReader config, Path baseDir) {
    return new RealtimeSourceOptions(config).toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new RealtimeSourceVerticle(new RealtimeSourceOptions(config));
  }
}
