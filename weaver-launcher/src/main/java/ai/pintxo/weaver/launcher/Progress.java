package ai.pintxo.weaver.launcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline's totals read from the meter registry: what a progress line or a summary shows.
 *
 * @param polled      records read from API responses
 * @param produced    records acknowledged by Kafka
 * @param fedByType   Vespa document type → documents acknowledged by Vespa
 * @param rejected    documents Vespa refused for good
 * @param deadLetters records sent to dead-letter topics
 * @param retries     Vespa attempts retried
 */
public record Progress(long polled, long produced, Map<String, Long> fedByType, long rejected, long deadLetters, long retries) {

  public static Progress read(MeterRegistry registry) {
    Map<String, Long> fed = new TreeMap<>();
    for (Counter c : registry.find("weaver.documents.fed").tag("result", "ok").counters()) {
      fed.merge(c.getId().getTag("document_type"), (long) c.count(), Long::sum);
    }
    // Substreams count their records (committed in Kafka transactions) and dead letters under their own names.
    return new Progress(sum(registry, "weaver.records.polled"),
        sum(registry, "weaver.records.produced") + sum(registry, "weaver.substreams.records"), fed,
        (long) registry.find("weaver.documents.fed").tag("result", "rejected").counters().stream().mapToDouble(Counter::count).sum(),
        sum(registry, "weaver.dead.letters") + sum(registry, "weaver.substreams.dead.letters"), sum(registry, "weaver.feed.retries"));
  }

  private static long sum(MeterRegistry registry, String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  public long fed() {
    return fedByType.values().stream().mapToLong(Long::longValue).sum();
  }
}
