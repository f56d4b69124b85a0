package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.deploy.VerticleProvider;
import io.vertx.core.json.JsonObject;

/**
 * One entry of a deployment file, validated.
 *
 * @param name      unique name, also its address in environment overrides
 * @param provider  makes the verticle
 * @param instances how many instances to deploy
 * @param config    the complete, validated config (defaults included)
 */
public record VerticleSpec(String name, VerticleProvider provider, int instances, JsonObject config) {
}
