package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;

/**
 * One entry of the deployment file's {@code verticles} list as written; its {@code config} is read
 * by the verticle type's own options spec once the type is known.
 */
public final class VerticleEntry extends Options<VerticleEntry> {

  public static final OptionSpec<VerticleEntry> SPEC = new OptionSpec<>("verticles[]",
      "One verticle to deploy, with its instance count and config", VerticleEntry::new);
  static final Option<String> VERTICLE = SPEC.required("verticle", OptionTypes.nonBlank(),
      "the verticle type, e.g. EngineConnectorVerticle");
  static final Option<String> NAME = SPEC.optional("name", OptionTypes.nonBlank(),
      "unique name (default: the type); addresses the entry in environment overrides");
  static final Option<Integer> INSTANCES = SPEC.option("instances", OptionTypes.integer(1, 1024), 1, "instances deployed in this process");
  static final Option<JsonObject> CONFIG = SPEC.option("config", OptionTypes.jsonObject(), new JsonObject(),
      "the verticle's options (weaver config --describe <type>)");

  public VerticleEntry() {
    super(SPEC);
  }

  public String getVerticle() {
    return get(VERTICLE);
  }

  /** @return the entry's name, or its type when unnamed */
  public String getName() {
    String name = get(NAME);
    return name == null ? getVerticle() : name;
  }

  public int getInstances() {
    return get(INSTANCES);
  }

  public JsonObject getConfig() {
    return get(CONFIG);
  }
}
