package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.impl.time.TimeSource;
import java.time.Duration;

/**
 * Notices a stream that went quiet and says when to ping its connection. A stream that is
 * flowing but sends nothing (not even progress messages) for the inactivity timeout is presumed
 * stuck behind a dead connection; a paused or ended stream is quiet on purpose. Asked once a second.
 *
 * <p>Threading: confined to the verticle's event loop.
 */
final class Watchdog {

  /** What the substream should do now. */
  enum Verdict { NOTHING, RECONNECT, PING }

  private final TimeSource time;
  private final long inactivityNanos;
  private final long keepAliveNanos;
  private long lastActivity;
  private long lastPing;

  Watchdog(TimeSource time, Duration inactivityTimeout, Duration keepAliveInterval) {
    this.time = time;
    this.inactivityNanos = inactivityTimeout.toNanos();
    this.keepAliveNanos = keepAliveInterval.toNanos();
    restart();
  }

  /** A new call starts: both timers start over. */
  void restart() {
    lastActivity = time.nanoTime();
    lastPing = lastActivity;
  }

  /** A message arrived. */
  void activity() {
    lastActivity = time.nanoTime();
  }

  /**
   * @param streaming whether messages are expected now
   * @param open      whether a call is open (its connection can be pinged)
   * @return what to do; {@link Verdict#PING} also restarts the keepalive interval
   */
  Verdict check(boolean streaming, boolean open) {
    long now = time.nanoTime();
    if (streaming && now - lastActivity > inactivityNanos) {
      return Verdict.RECONNECT;
    }
    if (open && now - lastPing > keepAliveNanos) {
      lastPing = now;
      return Verdict.PING;
    }
    return Verdict.NOTHING;
  }
}
