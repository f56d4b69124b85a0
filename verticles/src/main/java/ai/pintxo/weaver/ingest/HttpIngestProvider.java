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

  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return new HttpIngestOptions(config).getStreams().stream().map(IngestStreamOptions::getTopic).distinct().toList();
  }

  /** The streams that name a document type: the deployment's connector feeds them with the generic processor. */
  @Override
  public java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> recordRoutes(JsonObject config) {
    return new HttpIngestOptions(config).getStreams().stream().filter(s -> s.getDocumentType() != null)
        .map(s -> new ai.pintxo.weaver.connector.RecordTopicOptions(s.getTopic(), s.getRecordClass(), s.getDocumentType())).toList();
  }
}
