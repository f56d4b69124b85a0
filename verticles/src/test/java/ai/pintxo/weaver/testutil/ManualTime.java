package ai.pintxo.weaver.testutil;

import ai.pintxo.weaver.impl.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link TimeSource} that moves only when a test says so; both clocks move together. */
public final class ManualTime implements TimeSource {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Instant start;

  public ManualTime(Instant start) {
    this.start = start;
  }

  public ManualTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves both clocks forward. */
  public ManualTime advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    return this;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanos.get() - 1_000_000_000L);
  }
}
