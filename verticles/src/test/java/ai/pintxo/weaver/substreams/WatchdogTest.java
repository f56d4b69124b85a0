package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.substreams.Watchdog.Verdict;
import ai.pintxo.weaver.testutil.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogTest {

  private final ManualTime time = new ManualTime();
  private final Watchdog watchdog = new Watchdog(time, Duration.ofSeconds(30), Duration.ofSeconds(10));

  @Test
  void aFlowingStreamThatGoesQuietIsReconnected() {
    time.advance(Duration.ofSeconds(29));
    watchdog.activity();
    time.advance(Duration.ofSeconds(30));
    assertThat(watchdog.check(true, false)).as("30 s since the last message is not over the timeout").isEqualTo(Verdict.NOTHING);
    time.advance(Duration.ofMillis(1));
    assertThat(watchdog.check(true, false)).as("just over the timeout").isEqualTo(Verdict.RECONNECT);
  }

  @Test
  void aPausedOrEndedStreamIsQuietOnPurpose() {
    time.advance(Duration.ofMinutes(10));
    assertThat(watchdog.check(false, false)).as("not streaming: never presumed stuck").isEqualTo(Verdict.NOTHING);
  }

  @Test
  void anOpenCallIsPingedOncePerInterval() {
    time.advance(Duration.ofSeconds(10));
    assertThat(watchdog.check(false, true)).as("not yet over the interval").isEqualTo(Verdict.NOTHING);
    time.advance(Duration.ofMillis(1));
    assertThat(watchdog.check(false, true)).isEqualTo(Verdict.PING);
    assertThat(watchdog.check(false, true)).as("the ping restarted the interval").isEqualTo(Verdict.NOTHING);
    time.advance(Duration.ofSeconds(11));
    assertThat(watchdog.check(false, true)).isEqualTo(Verdict.PING);
    assertThat(watchdog.check(false, false)).as("no call, nothing to ping").isEqualTo(Verdict.NOTHING);
  }

  @Test
  void aNewCallStartsBothTimersOver() {
    time.advance(Duration.ofMinutes(5));
    watchdog.restart();
    assertThat(watchdog.check(true, true)).isEqualTo(Verdict.NOTHING);
  }
}
