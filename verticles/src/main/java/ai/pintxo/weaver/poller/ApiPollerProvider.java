package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Deploys {@link ApiPollerVerticle} from a deployment file; reads the endpoints file up front so a bad entry stops the launch. */
public final class ApiPollerProvider implements VerticleProvider {

  static final String TYPE = "ApiPollerVerticle";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public OptionSpec<ApiPollerOptions> options() {
    return ApiPollerOptions.SPEC;
  }

  @Override
  public JsonObject validate(JsonObject config, String path, Path baseDir) {
    ApiPollerOptions options = ApiPollerOptions.SPEC.read(config, path);
    if (options.getEndpointsFile() != null) {
      options.setEndpointsFile(baseDir.resolve(options.getEndpointsFile()).normalize().toString());
      options.withEndpointsFile(options.key("endpointsFile")); // parse now: fail before anything connects
    }
    return options.toJson();
  }

  @Override
  public Deployable create(JsonObject config) {
    return new ApiPollerVerticle(new ApiPollerOptions(config));
  }

  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    java.util.Set<String> topics = new java.util.LinkedHashSet<>();
    for (EndpointOptions endpoint : new ApiPollerOptions(config).withEndpointsFile().getEndpoints()) {
      topics.add(endpoint.handler().topic().name());
    }
    return java.util.List.copyOf(topics);
  }

  /** The connector entries of the endpoints that declare their records and document type. */
  @Override
  public java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> recordRoutes(JsonObject config) {
    java.util.List<ai.pintxo.weaver.connector.RecordTopicOptions> routes = new java.util.ArrayList<>();
    for (EndpointOptions endpoint : new ApiPollerOptions(config).withEndpointsFile().getEndpoints()) {
      endpoint.recordRoute().ifPresent(routes::add);
    }
    return routes;
  }
}
