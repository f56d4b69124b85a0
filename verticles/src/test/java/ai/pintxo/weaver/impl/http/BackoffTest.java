package ai.pintxo.weaver.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void aHundredRetriesStayWithinMinAndMaxAndNeverOverflow() {
    // A poller's defaults (30 s, doubling) overflowed a shifted long after ~48 attempts; retries may be 100.
    for (double random : new double[] {0.0, 0.5, 0.999_999}) {
      Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), () -> random);
      long previousCeiling = 0;
      for (int attempt = 1; attempt <= 100; attempt++) {
        long delay = backoff.nextDelayMillis();
        long ceiling = backoff.ceilingMillis(attempt);
        assertThat(delay).as("attempt %d (random %s)", attempt, random).isBetween(15_000L, 3_600_000L);
        assertThat(delay).as("attempt %d within its ceiling", attempt).isBetween(ceiling / 2, ceiling);
        assertThat(ceiling).as("ceilings never shrink (no wrap-around)").isGreaterThanOrEqualTo(previousCeiling);
        previousCeiling = ceiling;
      }
      assertThat(backoff.failures()).isEqualTo(100);
      assertThat(backoff.ceilingMillis(100)).isEqualTo(3_600_000L);
    }
  }

  @Test
  void aTinyMinimumNeverGivesAZeroDelay() {
    // A zero delay would be a busy loop: the smallest delay is 1 ms whatever min and the random say.
    Backoff backoff = new Backoff(Duration.ZERO, Duration.ofMillis(3), () -> 0.0);
    for (int attempt = 1; attempt <= 100; attempt++) {
      assertThat(backoff.nextDelayMillis()).as("attempt %d", attempt).isBetween(1L, 3L);
    }
  }

  @Test
  void ceilingsDoubleFromMinUpToMax() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999_999);
    assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
    assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
    assertThat(backoff.ceilingMillis(4)).isEqualTo(800);
    assertThat(backoff.ceilingMillis(5)).as("capped").isEqualTo(1_000);
    assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(1_000);
    assertThat(backoff.ceilingMillis(0)).as("below 1 counts as the first attempt").isEqualTo(100);
    assertThat(backoff.delayMillis(1)).as("the random at its top gives the ceiling").isEqualTo(100);
  }

  @Test
  void jitterSpreadsDelaysBetweenHalfAndAllOfTheCeiling() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999_999);
    assertThat(low.delayMillis(3)).isEqualTo(200);
    assertThat(high.delayMillis(3)).isEqualTo(400);
  }

  @Test
  void resetStartsFromTheMinimumAgain() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999_999);
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }
    assertThat(backoff.nextDelayMillis()).isEqualTo(10_000);
    backoff.reset();
    assertThat(backoff.failures()).isZero();
    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
  }

  @Test
  void maxBelowMinIsRaisedToMin() {
    Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.999_999);
    assertThat(backoff.max()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.nextDelayMillis()).isEqualTo(2_000);
  }
}
