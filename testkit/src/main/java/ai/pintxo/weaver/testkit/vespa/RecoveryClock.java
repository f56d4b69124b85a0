package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The recovery time of a fault, as the fault matrix reports it (RELIABILITY.md): from the moment the fault
 * ended to the first write Vespa accepted of a record that counts as recovery (armed with {@link #arm}: e.g.
 * any write once the broker is back, a price published after the streams were closed, a block after the
 * failed one), and to the moment the test saw the backlog drained ({@link #drained()}, as fine as its
 * polling). The first write is taken in the emulator's write path, exact to the write. Takes the emulator's
 * one write listener.
 */
public final class RecoveryClock {

  /** Which write counts as the pipeline working again after the fault. */
  @FunctionalInterface
  public interface Recovered {
    boolean test(String documentType, String id, ObjectNode fields);
  }

  private volatile Recovered recovered;
  private volatile Instant first;
  private volatile Instant ended;
  private volatile Instant drained;

  private RecoveryClock() {
  }

  /** @return a clock listening to the emulator's writes */
  public static RecoveryClock on(VespaEmulator vespa) {
    RecoveryClock clock = new RecoveryClock();
    vespa.onWrite((type, id, fields) -> {
      Recovered r = clock.recovered;
      if (r != null && clock.first == null && r.test(type, id, fields)) {
        synchronized (clock) {
          if (clock.first == null) {
            clock.first = Instant.now();
          }
        }
      }
    });
    return clock;
  }

  /** Starts watching for the first write that counts as recovery; forgets an earlier one. */
  public synchronized RecoveryClock arm(Recovered recovered) {
    this.first = null;
    this.drained = null;
    this.recovered = recovered;
    return this;
  }

  /** The fault ended now. */
  public RecoveryClock faultEnded() {
    return faultEndedAt(Instant.now());
  }

  /** The fault ended then (known afterwards, e.g. from an emulator's activity log). */
  public RecoveryClock faultEndedAt(Instant at) {
    this.ended = at;
    return this;
  }

  /** The test saw the backlog drained now. */
  public RecoveryClock drained() {
    this.drained = Instant.now();
    return this;
  }

  /** @return from the fault's end to the first recovery write; negative if it came first (in flight before the end) */
  public Duration firstWrite() {
    if (first == null || ended == null) {
      throw new IllegalStateException("no recovery write seen" + (ended == null ? " and no fault end set" : ""));
    }
    return Duration.between(ended, first);
  }

  /** @return from the fault's end to the backlog drained */
  public Duration backlogDrained() {
    if (drained == null || ended == null) {
      throw new IllegalStateException("the backlog was not seen drained" + (ended == null ? " and no fault end set" : ""));
    }
    return Duration.between(ended, drained);
  }

  /** @return the line the fault matrix prints, {@code fault matrix: <fault>: first …, drained …} */
  public String report(String fault) {
    return String.format("fault matrix: %s: first record written to Vespa %d ms after the fault ended, backlog drained %d ms after it",
        fault, firstWrite().toMillis(), backlogDrained().toMillis());
  }

  /** @return a field's value from a put's fields or an update's {@code assign}, or null */
  public static JsonNode field(ObjectNode fields, String name) {
    JsonNode value = fields.get(name);
    if (value != null && value.isObject() && value.has("assign")) {
      return value.get("assign");
    }
    return value;
  }
}
