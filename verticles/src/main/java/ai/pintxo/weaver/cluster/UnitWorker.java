package ai.pintxo.weaver.cluster;

import ai.pintxo.weaver.pipeline.UnitReporter;
import io.vertx.core.Future;

/**
 * What a source does with the units of work it is given: called on the source verticle's context.
 * A unit is started at most once before it is stopped, and stopped before it may start in another
 * process. An operator's pause stops the units and a resume starts them again.
 */
public interface UnitWorker {

  /**
   * @param reporter where the unit reports its state, last event and lag while it runs
   * @return completes when the unit runs (or has been reported as failed: a failure does not give the unit up)
   */
  Future<Void> startUnit(String unit, UnitReporter reporter);

  /**
   * Stops a unit cleanly: its input is closed and what it read was either produced and acknowledged
   * or abandoned without producing (a Substreams batch commits).
   *
   * @return completes when nothing of the unit runs here any more
   */
  Future<Void> stopUnit(String unit);
}
