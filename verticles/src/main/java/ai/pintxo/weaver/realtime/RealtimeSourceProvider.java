package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Deploys {@link RealtimeSourceVerticle} from a deployment file; record classes are loaded and checked at validation. */
public final class RealtimeSourceProvider implements VerticleProvider {

  static final String TYPE = "RealtimeSourceVerticle";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public OptionSpec<RealtimeSourceOptions> options() {
    return RealtimeSourceOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    return RealtimeSourceOptions.SPEC.read(config, path).toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new RealtimeSourceVerticle(new RealtimeSourceOptions(config));
  }

  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return new RealtimeSourceOptions(config).getStreams().stream().map(RealtimeStreamOptions::getTopic).distinct().toList();
  }
}
