package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.pipeline.UnitReporter;
import java.time.Duration;
import java.time.Instant;

/**
 * A stream's observer that keeps its unit's state on the pipeline board: running once connected,
 * backing off with the next attempt and the reason while it reconnects, the time of the last
 * event. The source handles the events themselves.
 */
public abstract class ReportingObserver implements ResilientStream.Observer {

  private final UnitReporter reporter;

  protected ReportingObserver(UnitReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public final void event(SseEvent event) {
    reporter.event();
    handle(event);
  }

  /** An event arrived on the unit's stream. */
  protected abstract void handle(SseEvent event);

  @Override
  public void connected() {
    reporter.running();
  }

  @Override
  public void backingOff(Duration delay, String why) {
    reporter.backingOff(Instant.now().plus(delay), why);
  }
}
