package ai.pintxo.weaver.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How a running unit of work tells the {@link PipelineBoard} where it stands. Sources call it from
 * their event loop; the admin endpoint reads snapshots from its own, so each change publishes one
 * immutable {@link UnitStatus}.
 */
public final class UnitReporter {

  private final PipelineBoard board;
  private final Clock clock;
  private volatile UnitStatus status;
  private volatile Supplier<Lag> lag = () -> null;
  private volatile Instant lastEvent;
  /** Written by the unit's own context only; a plain increment of a volatile is enough for one writer. */
  private volatile long events;
  private volatile boolean finished;
  private io.micrometer.core.instrument.Meter lagGauge;

  UnitReporter(PipelineBoard board, String pipeline, String unit, String owner, Clock clock) {
    this.board = board;
    this.clock = clock;
    this.status = new UnitStatus(pipeline, unit, UnitState.STARTING, owner, clock.instant(), null, null, null, null, null, null, 0);
  }

  /** @return the unit's id */
  public String unit() {
    return status.unit();
  }

  public String pipeline() {
    return status.pipeline();
  }

  /** The unit delivers (a connection is up, a poll succeeded). Clears the last error's retry time. */
  public void running() {
    UnitStatus s = status;
    if (s.state() != UnitState.RUNNING || s.nextAttempt() != null) {
      set(UnitState.RUNNING, s.lastError(), null, null, s.detail());
    }
  }

  /** Data arrived: only the time and a count are kept, so this is cheap on hot paths. */
  public void event() {
    lastEvent = clock.instant();
    events++;
    if (status.state() == UnitState.STARTING || status.state() == UnitState.BACKING_OFF) {
      running();
    }
  }

  /**
   * @param nextAttempt when it tries again
   * @param error       the failure, one line
   */
  public void backingOff(Instant nextAttempt, String error) {
    set(UnitState.BACKING_OFF, error, nextAttempt, null, status.detail());
  }

  /** A failure that does not stop the unit (a failed poll, a refused request it will retry on schedule). */
  public void failed(String error) {
    UnitStatus s = status;
    set(s.state(), error, s.nextAttempt(), s.reason(), s.detail());
  }

  /** @param reason who paused it, or why (operator, Kafka unavailable) */
  public void paused(String reason) {
    set(UnitState.PAUSED, status.lastError(), null, reason, status.detail());
  }

  /** The pause ended; the unit delivers again. */
  public void resumed() {
    if (status.state() == UnitState.PAUSED) {
      set(UnitState.RUNNING, status.lastError(), null, null, status.detail());
    }
  }

  /** @param reason why it ended, e.g. the refusal with its status */
  public void stopped(String reason) {
    set(UnitState.STOPPED, status.lastError(), null, reason, status.detail());
  }

  /** @param reason how it completed: a bounded run reached its end, which is not a failure */
  public void finished(String reason) {
    finished = true;
    set(UnitState.STOPPED, null, null, reason, status.detail());
  }

  boolean finished() {
    return finished;
  }

  /** @param detail more about the state, shown beside it (null clears) */
  public void detail(String detail) {
    UnitStatus s = status;
    set(s.state(), s.lastError(), s.nextAttempt(), s.reason(), detail);
  }

  /**
   * @param kind the lag's kind, as {@link Lag#kind()} will say
   * @param lag  computes the unit's lag when a snapshot is taken or Prometheus scrapes
   *             {@code weaver_unit_lag{pipeline,unit,kind}}
   */
  public void lag(String kind, Supplier<Lag> lag) {
    this.lag = lag;
    if (lagGauge == null) {
      lagGauge = board.lagGauge(this, kind);
    }
  }

  /** @return the lag's value now, NaN when unknown (the gauge's reading) */
  double lagValue() {
    if (finished) {
      return Double.NaN;
    }
    try {
      Lag now = lag.get();
      return now == null ? Double.NaN : now.value();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** @return the current snapshot */
  public UnitStatus status() {
    UnitStatus s = status;
    Lag now;
    try {
      now = finished ? null : lag.get(); // a bounded run that reached its end lags behind nothing
    } catch (RuntimeException e) {
      now = null; // a lag that cannot be computed yet is unknown, not an error of the status page
    }
    return new UnitStatus(s.pipeline(), s.unit(), s.state(), s.owner(), s.since(), lastEvent, s.lastError(), s.nextAttempt(),
        s.reason(), now, s.detail(), events);
  }

  /** @return the state, without computing the lag */
  public UnitState state() {
    return status.state();
  }

  /** The unit left this process (revoked, undeployed). */
  public void close() {
    board.remove(this);
    if (lagGauge != null) {
      board.removeMeter(lagGauge);
    }
  }

  private void set(UnitState state, String error, Instant nextAttempt, String reason, String detail) {
    UnitStatus s = status;
    Instant since = s.state() == state ? s.since() : clock.instant();
    status = new UnitStatus(s.pipeline(), s.unit(), state, s.owner(), since, null, error, nextAttempt, reason, null, detail, 0);
  }
}
