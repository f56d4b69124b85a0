package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleFeedsTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  @Test
  void aFeedTurnsStaleOnceAndAgainOnlyAfterAFreshUpdate() {
    StaleFeeds feeds = new StaleFeeds(Duration.ofSeconds(60), Map.of(B, Duration.ofSeconds(5), C, Duration.ZERO));
    Map<String, Long> last = new HashMap<>(Map.of(A, 1_000L, B, 1_000L, C, 1_000L));
    List<String> ids = List.of(A, B, C);
    assertThat(feeds.check(ids, last, 1_005_000, 0)).as("at the bound: not yet").isEmpty();
    assertThat(feeds.check(ids, last, 1_005_001, 0)).as("B's own bound passed").containsExactly(B);
    assertThat(feeds.check(ids, last, 1_010_000, 0)).as("reported once per episode").isEmpty();
    assertThat(feeds.count()).isEqualTo(1);
    assertThat(feeds.check(ids, last, 1_060_001, 0)).as("A at the default bound; C never (0 = off)").containsExactly(A);
    last.put(B, 1_070L);
    assertThat(feeds.fresh(B)).as("B was stale").isTrue();
    assertThat(feeds.fresh(B)).as("and is no more").isFalse();
    assertThat(feeds.check(ids, last, 1_075_001, 0)).as("B stale again: a new episode").containsExactly(B);
    feeds.forget(List.of(A, B));
    assertThat(feeds.count()).isZero();
  }

  @Test
  void aFeedThatPublishedNothingIsMeasuredFromItsUnitsStart() {
    StaleFeeds feeds = new StaleFeeds(Duration.ofSeconds(1), Map.of());
    assertThat(feeds.check(List.of(A), Map.of(), 10_500, 10_000)).isEmpty();
    assertThat(feeds.check(List.of(A), Map.of(), 11_001, 10_000)).containsExactly(A);
  }

  @Test
  void checksRunEveryQuarterOfTheSmallestBoundWithinLimits() {
    assertThat(new StaleFeeds(Duration.ofMinutes(1), Map.of(A, Duration.ofSeconds(2))).checkInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(new StaleFeeds(Duration.ofHours(1), Map.of()).checkInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(new StaleFeeds(Duration.ofMillis(100), Map.of()).checkInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(new StaleFeeds(Duration.ZERO, Map.of(A, Duration.ZERO)).enabled()).isFalse();
    assertThat(new StaleFeeds(Duration.ZERO, Map.of(A, Duration.ofSeconds(1))).enabled()).isTrue();
  }
}
