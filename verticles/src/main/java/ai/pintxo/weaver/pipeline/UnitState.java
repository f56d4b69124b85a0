package ai.pintxo.weaver.pipeline;

import java.util.Locale;

/** Where a unit of work stands, as {@code /pipelines} and the {@code weaver_unit_state} gauge report it. */
public enum UnitState {
  /** Owned here, connecting or preparing. */
  STARTING,
  /** Delivering. */
  RUNNING,
  /** Failed and waiting for its next attempt, within its retry policy. */
  BACKING_OFF,
  /** Paused by an operator, or while Kafka cannot take its records. */
  PAUSED,
  /** Ended: finished, refused for good, or stopped after an error; see the reason. */
  STOPPED;

  /** @return the name in JSON and metrics: {@code backing-off}, … */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** @return whether a process owning a unit in this state can call itself ready */
  public boolean healthy() {
    return this != STOPPED && this != STARTING;
  }
}
