package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Deploys {@link HttpIngestVerticle} from a deployment file; record classes are loaded and checked at validation. */
public final class HttpIngestProvider implements VerticleProvider {

  @Override
  public String type() {
    return HttpIngestVerticle.TYPE;
  }

  @Override
  public OptionSpec<HttpIngestOptions> options() {
    return HttpIngestOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    return HttpIngestOptions.SPEC.read(config, path).toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new HttpIngestVerticle(new HttpIngestOptions(config));
  }
}
