package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveThrottlerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  /** Answers a window's worth of requests with the given latency while the limit is in use. */
  private static void answer(AdaptiveThrottler t, long latencyMs, int windows) {
    for (int w = 0; w < windows; w++) {
      int n = Math.max(16, t.limit());
      for (int i = 0; i < n; i++) {
        t.success(latencyMs * 1_000_000, t.limit());
      }
    }
  }

  @Test
  void growsWhileLatencyHolds() {
    AdaptiveThrottler t = new AdaptiveThrottler(4, 4096, 64, now::get);
    answer(t, 5, 200);
    assertThat(t.limit()).as("steady latency: the limit grows towards the maximum").isGreaterThan(1000);
  }

  @Test
  void shrinksWhenLatencyClimbsAboveTolerance() {
    AdaptiveThrottler t = new AdaptiveThrottler(4, 4096, 512, now::get);
    answer(t, 5, 20);
    int before = t.limit();
    answer(t, 50, 10);
    assertThat(t.limit()).as("latency ten times the long-run mean: the limit shrinks").isLessThan(before);
  }

  @Test
  void doesNotGrowWhenTheLimitIsNotUsed() {
    AdaptiveThrottler t = new AdaptiveThrottler(4, 4096, 64, now::get);
    for (int i = 0; i < 10_000; i++) {
      t.success(5_000_000, 3);
    }
    assertThat(t.limit()).as("3 in flight out of 64 says nothing about capacity").isEqualTo(64);
  }

  @Test
  void backsOffOnPushbackOncePerLatencyWindowAndNeverBelowMin() {
    AdaptiveThrottler t = new AdaptiveThrottler(8, 4096, 400, now::get);
    t.throttled();
    assertThat(t.limit()).isEqualTo(300);
    t.throttled();
    t.throttled();
    assertThat(t.limit()).as("a burst of 429s in one window counts once").isEqualTo(300);
    for (int i = 0; i < 50; i++) {
      now.addAndGet(1_000_000_000L);
      t.throttled();
    }
    assertThat(t.limit()).as("floor").isEqualTo(8);
  }

  @Test
  void refusesInconsistentBounds() {
    assertThatThrownBy(() -> new AdaptiveThrottler(0, 10, 5, now::get)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveThrottler(20, 10, 5, now::get)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new AdaptiveThrottler(4, 10, 500, now::get).limit()).as("initial is clamped").isEqualTo(10);
  }
}
