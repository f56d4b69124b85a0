package ai.pintxo.weaver.testkit.vespa;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Switches that make the emulator misbehave the way a loaded or broken Vespa does. All switches
 * may be flipped from any thread while the emulator serves requests.
 */
public final class VespaFaults {

  private volatile double errorRate;
  private volatile int[] errorStatuses = new int[0];
  private volatile long minLatencyMillis;
  private volatile long maxLatencyMillis;
  private volatile long outageUntilNanos;
  private volatile int maxInflight = Integer.MAX_VALUE;
  private final java.util.List<Rejection> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failNextStatus = 503;

  /**
   * Answers a share of the document operations with one of the given statuses (429, 500, 503, 504, 507, …),
   * chosen at random.
   *
   * @param rate     share of operations, 0 to 1
   * @param statuses the statuses to pick from
   */
  public VespaFaults errors(double rate, int... statuses) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within [0, 1], was " + rate);
    }
    this.errorStatuses = statuses.clone();
    this.errorRate = statuses.length == 0 ? 0 : rate;
    return this;
  }

  /** Answers the next {@code count} document operations with {@code status}. */
  public VespaFaults failNext(int count, int status) {
    this.failNextStatus = status;
    this.failNext.set(count);
    return this;
  }

  /** Delays every document operation by a random time in [min, max] milliseconds. */
  public VespaFaults latency(long minMillis, long maxMillis) {
    if (minMillis < 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("latency range must satisfy 0 <= min <= max, was [" + minMillis + ", " + maxMillis + "]");
    }
    this.minLatencyMillis = minMillis;
    this.maxLatencyMillis = maxMillis;
    return this;
  }

  /** Closes every connection that sends a request during the next {@code millis} milliseconds, as a crashed container would. */
  public VespaFaults outage(long millis) {
    this.outageUntilNanos = System.nanoTime() + millis * 1_000_000L;
    return this;
  }

  /**
   * Models the container's operation queue: above {@code limit} operations in progress, answers 429
   * {@code Rejecting execution due to overload}.
   */
  public VespaFaults maxInflight(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1, was " + limit);
    }
    this.maxInflight = limit;
    return this;
  }

  /**
   * Answers operations on the matching user-specified ids with {@code status} (e.g. 400, 412, 413),
   * every time. Rules add up; the first that matches applies.
   */
  public VespaFaults reject(Predicate<String> userSpecificIds, int status) {
    rejections.add(new Rejection(userSpecificIds, status));
    return this;
  }

  private record Rejection(Predicate<String> ids, int status) {
  }

  /** Turns every fault off. */
  public VespaFaults clear() {
    errorRate = 0;
    errorStatuses = new int[0];
    minLatencyMillis = 0;
    maxLatencyMillis = 0;
    outageUntilNanos = 0;
    maxInflight = Integer.MAX_VALUE;
    rejections.clear();
    failNext.set(0);
    return this;
  }

  boolean inOutage() {
    long until = outageUntilNanos;
    return until != 0 && System.nanoTime() < until;
  }

  int maxInflight() {
    return maxInflight;
  }

  long latencyMillis() {
    long min = minLatencyMillis;
    long max = maxLatencyMillis;
    return max == 0 ? 0 : min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  /** @return a status to answer instead of executing the operation, or 0 */
  int injectedStatus(String userSpecificId) {
    for (Rejection rejection : rejections) {
      if (rejection.ids().test(userSpecificId)) {
        return rejection.status();
      }
    }
    if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
      return failNextStatus;
    }
    double rate = errorRate;
    if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
      int[] statuses = errorStatuses;
      return statuses[ThreadLocalRandom.current().nextInt(statuses.length)];
    }
    return 0;
  }
}
