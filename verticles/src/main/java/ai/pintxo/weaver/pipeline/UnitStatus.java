package ai.pintxo.weaver.pipeline;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A snapshot of one unit of work owned by this process.
 *
 * @param pipeline    the deployment entry's name
 * @param unit        the unit's id inside its pipeline (an endpoint, a stream, a substream)
 * @param state       where it stands
 * @param owner       the member that runs it ({@code cluster.member})
 * @param since       when it entered this state
 * @param lastEvent   when it last delivered data, or null
 * @param lastError   the last failure, or null
 * @param nextAttempt when a backing-off unit tries again, or null
 * @param reason      why it is paused or stopped, or null
 * @param lag         how far behind it is, or null when unknown
 * @param detail      more about its state (a feeder's circuit endpoint and cause), or null
 * @param events      data events the unit reported since this process took it (polls answered, messages, block batches,
 *                    records settled): the status page's rate is the difference of two readings
 */
public record UnitStatus(String pipeline, String unit, UnitState state, String owner, Instant since, Instant lastEvent,
                         String lastError, Instant nextAttempt, String reason, Lag lag, String detail, long events) {

  /** @return the JSON {@code /pipelines} shows for the unit */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("unit", unit).put("state", state.label()).put("owner", owner).put("since", since.toString());
    if (lastEvent != null) {
      json.put("lastEvent", lastEvent.toString());
    }
    if (lastError != null) {
      json.put("lastError", lastError);
    }
    if (nextAttempt != null) {
      json.put("nextAttempt", nextAttempt.toString());
    }
    if (reason != null) {
      json.put("reason", reason);
    }
    if (lag != null) {
      json.put("lag", lag.toJson());
    }
    if (detail != null) {
      json.put("detail", detail);
    }
    return json.put("events", events);
  }
}
