package ai.pintxo.weaver.testkit.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The accounting's questions answered on a hand-driven clock. */
class ActivityLogTest {

  /** A clock the test moves. */
  static final class Manual extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void memberIsParsedFromTheUserAgentOrUnknown() {
    assertThat(ActivityLog.memberOf("pintxo-data-weaver (member w1)")).isEqualTo("w1");
    assertThat(ActivityLog.memberOf("pintxo-data-weaver (member host-12.a_b)")).isEqualTo("host-12.a_b");
    assertThat(ActivityLog.memberOf("pintxo-data-weaver")).isEqualTo(Activity.UNKNOWN);
    assertThat(ActivityLog.memberOf(null)).isEqualTo(Activity.UNKNOWN);
    assertThat(ActivityLog.memberOrUnknown(" w2 ")).isEqualTo("w2");
    assertThat(ActivityLog.memberOrUnknown("")).isEqualTo(Activity.UNKNOWN);
  }

  @Test
  void windowsOverlapsAndHandovers() {
    Manual clock = new Manual();
    ActivityLog log = new ActivityLog(clock);
    Instant t0 = clock.now;
    long a = log.open("stream-a", "w1");           // w1 holds stream-a from 0 to 10 s
    long b = log.open("stream-b", "w2");           // w2 holds stream-b from 0, still open
    clock.advance(10_000);
    log.close(a);
    clock.advance(1);
    log.close(a);                                  // a second close keeps the first
    long a2 = log.open("stream-a", "w3");          // w3 takes stream-a over 1 ms later: no overlap
    clock.advance(4_000);
    long c = log.open("stream-b", "w3");           // w3 also opens stream-b while w2 holds it: an overlap
    clock.advance(1_000);
    log.close(c);

    assertThat(log.all().get(0).closed()).isEqualTo(t0.plusMillis(10_000));
    assertThat(log.all().get(1).isOpen()).isTrue();
    assertThat(log.units()).containsExactly("stream-a", "stream-b");
    assertThat(log.members("stream-a", t0, t0.plusSeconds(5))).containsExactly("w1");
    assertThat(log.members("stream-a", t0.plusSeconds(12), t0.plusSeconds(13))).containsExactly("w3");
    assertThat(log.membersByUnit(t0.plusSeconds(12), t0.plusSeconds(13)))
        .isEqualTo(Map.of("stream-a", Set.of("w3"), "stream-b", Set.of("w2")));
    assertThat(log.unitsByMember(t0, clock.now)).isEqualTo(Map.of("w1", Set.of("stream-a"), "w2", Set.of("stream-b"),
        "w3", Set.of("stream-a", "stream-b")));
    assertThat(log.openNow("stream-b")).containsExactly("w2");
    assertThat(log.firstAfter("stream-a", t0.plusSeconds(1), "w1").orElseThrow().member()).isEqualTo("w3");

    assertThat(log.overlaps()).singleElement().satisfies(o -> {
      assertThat(o.first().unit()).isEqualTo("stream-b");
      assertThat(Set.of(o.first().member(), o.second().member())).containsExactlyInAnyOrder("w2", "w3");
    });
    assertThat(log.overlapped("stream-b", "w3", "w2")).isTrue();
    assertThat(log.overlapped("stream-a", "w1", "w3")).as("w3 opened 1 ms after w1 closed").isFalse();

    // Polls, start to start: w1 at 0 s and 2 s, w2 at 3 s (1 s after w1: both polling), w2 at 5 s.
    ActivityLog polls = new ActivityLog(clock);
    Instant p0 = clock.now;
    for (long[] poll : new long[][] {{0, 1}, {2_000, 1}, {3_000, 2}, {5_000, 2}}) {
      clock.now = p0.plusMillis(poll[0]);
      polls.close(polls.open("protocols", "w" + poll[1]));
    }
    assertThat(polls.handoversCloserThan(Duration.ofSeconds(2))).singleElement().satisfies(h -> {
      assertThat(h.before().member()).isEqualTo("w1");
      assertThat(h.after().member()).isEqualTo("w2");
      assertThat(h.between()).isEqualTo(Duration.ofSeconds(1));
    });
    assertThat(polls.handoversCloserThan(Duration.ofMillis(1_000))).as("1 s apart is not closer than 1 s").isEmpty();
    assertThat(polls.overlaps()).as("each poll closed before the next opened").isEmpty();
    assertThat(b).isNotEqualTo(a2);
  }
}
