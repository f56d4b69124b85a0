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

  /** The streams that name a document type: the deployment's connector feeds them with the generic processor. */
  @Override
  public java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> recordRoutes(JsonObject config) {
    return new RealtimeSourceOptions(config).getStreams().stream().filter(s -> s.getDocumentType() != null)
        .map(s -> new ai.pintxo.weaver.connector.RecordTopicOptions(s.getTopic(), s.getRecordClass(), s.getDocumentType())).toList();
  }
}
