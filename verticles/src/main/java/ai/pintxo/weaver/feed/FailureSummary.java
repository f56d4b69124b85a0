package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.impl.log.LogRateLimiter;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Failed requests to Vespa, logged as one summary line at most per interval (counts per cause since
 * the last line, and the last error) instead of a line per request: a dead endpoint fails every
 * request, thousands a second, and its cause is the same each time.
 *
 * <p>Not thread-safe: confined to the feeder's context.
 */
final class FailureSummary {

  private final Logger log;
  private final String endpoint;
  private final LogRateLimiter limiter;
  private final Map<String, Integer> counts = new TreeMap<>();
  private int total;

  /**
   * @param log           where the lines go (the feeder's logger)
   * @param endpoint      Vespa's endpoint, named on every line
   * @param intervalNanos at most one line per this
   * @param clock         nanosecond clock
   */
  FailureSummary(Logger log, String endpoint, long intervalNanos, LongSupplier clock) {
    this.log = log;
    this.endpoint = endpoint;
    this.limiter = new LogRateLimiter(intervalNanos, clock);
  }

  /**
   * Counts a failed request; logs the summary when the interval allows.
   *
   * @param cause  the cause's label, e.g. {@code connection refused}
   * @param detail the error of this request
   */
  void failed(String cause, String detail) {
    counts.merge(cause, 1, Integer::sum);
    total++;
    if (limiter.permit()) {
      log.atWarn().addKeyValue("endpoint", endpoint).addKeyValue("failures", total).addKeyValue("byCause", counts)
          .addKeyValue("cause", cause).log("feed.failures: requests to Vespa failed and are retried; last: {}", detail);
      counts.clear();
      total = 0;
    }
  }
}
