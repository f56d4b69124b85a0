package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One pipeline as {@code GET /pipelines} and the status page show it.
 *
 * @param name      the deployment entry's name
 * @param type      the verticle type
 * @param instances its instance count, or null when it is not in the file any more
 * @param deployed  whether it is deployed now
 * @param paused    why it is paused, or null
 * @param units     every unit its config declares, in the whole group
 * @param owned     the units this process runs
 * @param control   the last pause or resume written for it, or null
 */
record PipelineView(String name, String type, Integer instances, boolean deployed, String paused, List<String> units,
                    List<UnitStatus> owned, PipelineState control) {

  /** @return the pipeline as the runtime and its board see it now */
  static PipelineView of(WeaverRuntime runtime, String name) {
    VerticleSpec spec = runtime.spec(name);
    PipelineBoard board = runtime.board();
    return new PipelineView(name, spec == null ? board.type(name) : spec.provider().type(), spec == null ? null : spec.instances(),
        runtime.deployed(name), board.pausedReason(name), board.declaredUnits(name), board.units(name), runtime.controlState(name));
  }

  JsonObject toJson() {
    JsonArray ownedJson = new JsonArray();
    owned.forEach(unit -> ownedJson.add(unit.toJson()));
    JsonObject json = new JsonObject().put("name", name).put("type", type).put("instances", instances).put("deployed", deployed)
        .put("paused", paused).put("units", new JsonArray(units)).put("owned", ownedJson);
    if (control != null) {
      json.put("control", control.toJson());
    }
    return json;
  }
}
