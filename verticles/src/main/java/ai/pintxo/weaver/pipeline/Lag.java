package ai.pintxo.weaver.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * How far a unit is behind, in the unit its source measures it in.
 *
 * @param kind  {@code head-drift} (Substreams, blocks), {@code staleness} (Pyth, seconds since the
 *              newest publish time), {@code poll-age} (seconds since the last complete poll, against
 *              its interval), {@code consumer-lag} (connector, records)
 * @param value the amount
 * @param bound the value past which the unit counts as late, or NaN when there is none
 */
public record Lag(String kind, double value, double bound) {

  public static Lag of(String kind, double value) {
    return new Lag(kind, value, Double.NaN);
  }

  /** @return whether the lag is past its bound */
  public boolean late() {
    return !Double.isNaN(bound) && value > bound;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind).put("value", value);
    if (!Double.isNaN(bound)) {
      json.put("bound", bound).put("late", late());
    }
    return json;
  }
}
