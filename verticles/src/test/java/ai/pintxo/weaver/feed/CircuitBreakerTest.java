package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(100 * SECOND);
  private final CircuitBreaker breaker = new CircuitBreaker(10 * SECOND, SECOND, now::get);

  @Test
  void staysClosedWhileFailuresAreWithinTheGracePeriod() {
    breaker.failure();
    now.addAndGet(9 * SECOND);
    breaker.failure();
    assertThat(breaker.state()).as("9 s of failures, grace is 10 s").isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.permits()).isTrue();
  }

  @Test
  void opensAfterTheGracePeriodWithoutSuccessAndThenOnlyProbes() {
    breaker.failure();
    now.addAndGet(10 * SECOND);
    assertThat(breaker.state()).as("failing for the whole grace period").isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.permits()).as("first probe").isTrue();
    assertThat(breaker.permits()).as("no second request in the same probe interval").isFalse();
    assertThat(breaker.nanosUntilProbe()).isEqualTo(SECOND);
    now.addAndGet(SECOND);
    assertThat(breaker.permits()).as("next probe a second later").isTrue();
  }

  @Test
  void aSuccessClosesIt() {
    breaker.failure();
    now.addAndGet(11 * SECOND);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    breaker.success();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.permits()).isTrue();
    assertThat(breaker.permits()).isTrue();
  }

  @Test
  void quietPeriodsAreNotFailures() {
    now.addAndGet(60 * SECOND);
    assertThat(breaker.state()).as("no traffic is not failing").isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
