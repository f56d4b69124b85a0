package ai.pintxo.weaver.pyth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which feeds are stale: a feed whose latest publish time is older than its bound (its own
 * {@code maxStaleness}, else the pipeline's; zero: never stale). A feed that has published nothing is
 * measured from when its unit started. {@link #check} reports a feed once when it turns stale, and again
 * only after a fresh update ({@link #fresh}) unmarked it, so the owner writes one stale document per
 * episode, not one per check.
 *
 * <p>Not thread-safe: confined to the owner's context, except {@link #count}, read by the gauge.
 */
final class StaleFeeds {

  private final Duration defaultBound;
  private final Map<String, Duration> bounds;
  private final Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param defaultBound every feed's bound unless it has its own
   * @param bounds       feed id (64 lower-case hex digits) → its own bound
   */
  StaleFeeds(Duration defaultBound, Map<String, Duration> bounds) {
    this.defaultBound = defaultBound;
    this.bounds = Map.copyOf(bounds);
  }

  /** @return the feed's bound, {@link Duration#ZERO} when it is never stale */
  Duration bound(String id) {
    return bounds.getOrDefault(id, defaultBound);
  }

  /** @return whether some feed can turn stale at all */
  boolean enabled() {
    return !defaultBound.isZero() || bounds.values().stream().anyMatch(b -> !b.isZero());
  }

  /** @return how often to check: a quarter of the smallest bound, within [100 ms, 5 s] */
  Duration checkInterval() {
    long smallest = defaultBound.isZero() ? Long.MAX_VALUE : defaultBound.toMillis();
    for (Duration b : bounds.values()) {
      if (!b.isZero()) {
        smallest = Math.min(smallest, b.toMillis());
      }
    }
    return Duration.ofMillis(Math.max(100, Math.min(5_000, smallest / 4)));
  }

  /**
   * @param ids          the feeds to check
   * @param lastPublish  feed id → its newest publish time (Unix seconds)
   * @param nowMillis    the time now
   * @param sinceMillis  when these feeds started streaming (the reference for a feed that published nothing)
   * @return the feeds that turned stale with this check (each reported once per episode)
   */
  List<String> check(Collection<String> ids, Map<String, Long> lastPublish, long nowMillis, long sinceMillis) {
    List<String> turned = new ArrayList<>();
    for (String id : ids) {
      Duration bound = bound(id);
      if (bound.isZero() || stale.contains(id)) {
        continue;
      }
      Long last = lastPublish.get(id);
      long reference = last == null ? sinceMillis : last * 1000;
      if (nowMillis - reference > bound.toMillis()) {
        stale.add(id);
        turned.add(id);
      }
    }
    return turned;
  }

  /** A newer publish time arrived. @return whether the feed was marked stale (the update clears the mark) */
  boolean fresh(String id) {
    return stale.remove(id);
  }

  boolean isStale(String id) {
    return stale.contains(id);
  }

  /** Forgets the marks of feeds this process no longer streams (their unit moved or stopped). */
  void forget(Collection<String> ids) {
    stale.removeAll(new HashSet<>(ids));
  }

  /** @return feeds marked stale now */
  int count() {
    return stale.size();
  }
}
