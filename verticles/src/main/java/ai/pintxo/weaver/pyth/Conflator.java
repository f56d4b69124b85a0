package ai.pintxo.weaver.pyth;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lets at most one value per key through per interval, the latest winning: a feed updating every
 * 400 ms reaches Kafka (and Vespa) at the pace the engine needs, not at the pace of the market. The
 * first value of a quiet key goes at once; later ones wait for the end of the interval. An
 * interval of 0 lets everything through.
 *
 * <p>Not thread-safe: confined to the owner's context.
 *
 * @param <T> the value type
 */
final class Conflator<T> {

  private final Vertx vertx;
  private final long intervalNanos;
  private final Consumer<T> sink;
  private final Map<String, Slot<T>> slots = new HashMap<>();
  private long superseded;

  Conflator(Vertx vertx, java.time.Duration interval, Consumer<T> sink) {
    this.vertx = vertx;
    this.intervalNanos = interval.toNanos();
    this.sink = sink;
  }

  void offer(String key, T value) {
    if (intervalNanos == 0) {
      sink.accept(value);
      return;
    }
    long now = System.nanoTime();
    Slot<T> slot = slots.computeIfAbsent(key, k -> new Slot<>());
    if (slot.timer < 0 && now - slot.lastSent >= intervalNanos) {
      slot.lastSent = now;
      sink.accept(value);
      return;
    }
    if (slot.pending != null) {
      superseded++;
    }
    slot.pending = value;
    if (slot.timer < 0) {
      long wait = Math.max(1, (slot.lastSent + intervalNanos - now) / 1_000_000);
      slot.timer = vertx.setTimer(wait, t -> release(slot));
    }
  }

  /** @return values replaced by a later one before they were let through */
  long superseded() {
    return superseded;
  }

  /** Lets the waiting values of these keys through now (a unit leaving: what it read is produced, not dropped). */
  void flush(java.util.Collection<String> keys) {
    for (String key : keys) {
      Slot<T> slot = slots.get(key);
      if (slot != null && slot.timer >= 0) {
        vertx.cancelTimer(slot.timer);
        release(slot);
      }
    }
  }

  /** The slot's interval is over (or it is flushed): its waiting value, if any, goes now. */
  private void release(Slot<T> slot) {
    slot.timer = -1;
    T latest = slot.pending;
    slot.pending = null;
    if (latest != null) {
      slot.lastSent = System.nanoTime();
      sink.accept(latest);
    }
  }

  void stop() {
    slots.values().forEach(s -> {
      if (s.timer >= 0) {
        vertx.cancelTimer(s.timer);
      }
    });
  }

  private static final class Slot<T> {
    long lastSent = Long.MIN_VALUE / 2;
    long timer = -1;
    T pending;
  }
}
