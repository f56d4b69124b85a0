package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.launcher.StatusReport.DeadLetterCount;
import ai.pintxo.weaver.launcher.StatusReport.Feed;
import ai.pintxo.weaver.launcher.StatusReport.Feeder;
import ai.pintxo.weaver.launcher.StatusReport.LatencyBucket;
import ai.pintxo.weaver.launcher.StatusReport.TopicFlow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads the status page's numbers from the meter registry {@code /metrics} scrapes, under the same
 * names, so the page and Prometheus cannot disagree. Safe from any thread (meters are).
 */
final class StatusMeters {

  private final MeterRegistry registry;

  StatusMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** @return one entry per feeder instance, by its {@code verticle_instance} tag */
  List<Feeder> feeders() {
    Map<String, double[]> byInstance = new TreeMap<>();
    String[] names = {"weaver.feed.inflight.limit", "weaver.feed.inflight", "weaver.feed.queued", "weaver.feed.circuit.open",
        "weaver.feed.blocked"};
    for (int i = 0; i < names.length; i++) {
      for (Gauge g : registry.find(names[i]).gauges()) {
        double value = g.value();
        byInstance.computeIfAbsent(g.getId().getTag("verticle_instance"), k -> new double[names.length])[i] = Double.isNaN(value) ? 0 : value;
      }
    }
    List<Feeder> feeders = new ArrayList<>();
    byInstance.forEach((instance, v) -> feeders.add(new Feeder(instance, (long) v[0], (long) v[1], (long) v[2], v[3] > 0, v[4] > 0)));
    return feeders;
  }

  Feed feed() {
    Map<String, Long> retries = new TreeMap<>();
    for (Counter c : registry.find("weaver.feed.retries").counters()) {
      retries.merge(c.getId().getTag("status"), (long) c.count(), Long::sum);
    }
    List<LatencyBucket> latency = new ArrayList<>();
    long attempts = 0;
    Timer timer = registry.find("weaver.feed.latency").timer();
    if (timer != null) {
      var snapshot = timer.takeSnapshot();
      attempts = snapshot.count();
      // Prometheus histograms are cumulative: each bucket counts every attempt at most its bound.
      for (CountAtBucket b : snapshot.histogramCounts()) {
        latency.add(new LatencyBucket(b.bucket(TimeUnit.SECONDS), (long) b.count()));
      }
    }
    return new Feed(attempts, retries, latency);
  }

  /**
   * @param lags the connectors' lag by topic ({@link ConsumerLag}); a topic missing is unknown
   * @return every topic a source produced to or the connector fed from
   */
  List<TopicFlow> topics(Map<String, Long> lags) {
    Map<String, long[]> flows = new TreeMap<>();
    Set<String> produced = new HashSet<>();
    for (Counter c : registry.find("weaver.records.produced").counters()) {
      produced.add(c.getId().getTag("topic"));
      flows.computeIfAbsent(c.getId().getTag("topic"), k -> new long[3])[0] += (long) c.count();
    }
    for (Counter c : registry.find("weaver.documents.fed").counters()) {
      int slot = "rejected".equals(c.getId().getTag("result")) ? 2 : 1;
      flows.computeIfAbsent(c.getId().getTag("topic"), k -> new long[3])[slot] += (long) c.count();
    }
    lags.keySet().forEach(topic -> flows.computeIfAbsent(topic, k -> new long[3]));
    List<TopicFlow> topics = new ArrayList<>();
    // A topic no source here counts per topic (another process's, a substream's: counted per substream) shows produced as unknown.
    flows.forEach((topic, n) -> topics.add(new TopicFlow(topic, produced.contains(topic) ? n[0] : null, n[1], n[2], lags.get(topic))));
    return topics;
  }

  /** @return this process's dead letters by topic and stage, the Substreams' under {@code substream:<name>} */
  List<DeadLetterCount> deadLetters() {
    List<DeadLetterCount> counts = new ArrayList<>();
    for (Counter c : registry.find("weaver.dead.letters").counters()) {
      counts.add(new DeadLetterCount(c.getId().getTag("topic"), c.getId().getTag("stage"), (long) c.count()));
    }
    for (Counter c : registry.find("weaver.substreams.dead.letters").counters()) {
      counts.add(new DeadLetterCount("substream:" + c.getId().getTag("substream"), "decode/process", (long) c.count()));
    }
    counts.sort(Comparator.comparing(DeadLetterCount::topic).thenComparing(DeadLetterCount::stage));
    return counts;
  }
}
