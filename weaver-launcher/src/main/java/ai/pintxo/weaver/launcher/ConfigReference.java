package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.OptionReference;
import ai.pintxo.weaver.deploy.VerticleProvider;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.pyth.PythOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The configuration reference as Markdown, written from the option declarations: what
 * {@code weaver config --describe} prints, what {@code docs/configuration.md} holds, and the
 * tables between {@code <!-- reference: NAME -->} markers in the README (a test keeps them equal).
 */
final class ConfigReference {

  private ConfigReference() {
  }

  /** @return the sections that the README and docs embed, by marker name */
  static Map<String, Supplier<String>> sections() {
    Map<String, Supplier<String>> sections = new TreeMap<>();
    sections.put("deployment", ConfigReference::deployment);
    sections.put("vespa", () -> OptionReference.table(VespaFeedOptions.SPEC, "vespa.", List.of()));
    sections.put("pyth", () -> OptionReference.table(PythOptions.SPEC, "", List.of("kafka")));
    return sections;
  }

  /** @return the deployment file's own keys (kafka, admin, verticles) */
  static String deployment() {
    return OptionReference.table(DeploymentConfig.SPEC, "", List.of());
  }

  /** @return the reference of one verticle type's {@code config} (its kafka section is the deployment's) */
  static String verticle(VerticleProvider provider) {
    return "## " + provider.type() + "\n\n" + provider.options().doc() + ". Keys of its `config`; `kafka` is the deployment's "
        + "`kafka` section, overridable key by key.\n\n" + OptionReference.table(provider.options(), "", List.of("kafka"));
  }

  /** @return one verticle type's reference, if the type exists */
  static Optional<String> verticle(String type) {
    return Optional.ofNullable(Deployment.providers().get(type)).map(ConfigReference::verticle);
  }

  /** @return the whole reference: the deployment file, then every installed verticle type */
  static String all() {
    StringBuilder out = new StringBuilder("# Configuration reference\n\n"
        + "Generated from the option declarations (`bin/weaver config --describe`); every key can also be set from the "
        + "environment (README: Environment overrides).\n\n## Deployment file\n\n").append(deployment());
    for (VerticleProvider provider : Deployment.providers().values()) {
      out.append('\n').append(verticle(provider));
    }
    return out.toString();
  }
}
