package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

  @Override
  public boolean readsSources() {
    return true;
  }

  /**
   * Takes the deployment's sources: their configured processors join {@code records} (unless an entry
   * names the topic already), and when {@code topics} is not written, the connector consumes the
   * sources' topics that have a processor, and those of its own {@code records} entries, rather than
   * every topic with an installed one. A deployment
   * without sources (a connector-only process) keeps the default.
   */
  @Override
  public JsonObject linkSources(JsonObject config, List<String> sourceTopics, List<RecordTopicOptions> routes) {
    if (sourceTopics.isEmpty() && routes.isEmpty()) {
      return config;
    }
    JsonObject linked = config.copy();
    if (!(linked.getValue("records", new JsonArray()) instanceof JsonArray records)) {
      return config; // not a list: validation names the key
    }
    records = records.copy();
    Set<String> configured = new LinkedHashSet<>();
    records.forEach(r -> {
      if (r instanceof JsonObject o && o.getValue("topic") instanceof String topic) {
        configured.add(topic);
      }
    });
    Set<String> written = new LinkedHashSet<>(configured); // a records entry of its own is consumed, whoever writes the topic
    for (RecordTopicOptions route : routes) {
      if (!configured.contains(route.getTopic()) && DocumentProcessors.installed().forTopic(route.getTopic()).isEmpty()) {
        records.add(route.toJson());
        configured.add(route.getTopic());
      }
    }
    linked.put("records", records);
    if (!linked.containsKey("topics")) {
      JsonArray topics = new JsonArray();
      sourceTopics.stream().distinct()
          .filter(t -> configured.contains(t) || DocumentProcessors.installed().forTopic(t).isPresent())
          .forEach(topics::add);
      written.stream().filter(t -> !topics.contains(t)).forEach(topics::add);
      if (!topics.isEmpty()) {
        linked.put("topics", topics);
      }
    }
    return linked;
  }

  /** The topics it feeds to Vespa (its configured record topics are among them). */
  @Override
  public java.util.List<String> recordTopics(JsonObject config) {
    return new EngineConnectorOptions(config).getTopics();
  }
}
