package ai.pintxo.weaver.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The feeder's meters: retries by cause, attempt latency, in-flight and queued operations. */
public final class FeedMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Timer latency;
  private final String instance;
  private final java.util.List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();

  /**
   * @param registry where to register
   * @param instance tells apart the gauges of several feeders in one process
   */
  public FeedMetrics(MeterRegistry registry, String instance) {
    this.registry = registry;
    this.instance = instance;
    for (String usual : new String[] {"429", "503", "504", "507", "timeout", "transport"}) {
      retry(usual, 0);
    }
    this.latency = Timer.builder("weaver.feed.latency").description("Vespa answer time of one HTTP attempt")
        .publishPercentileHistogram().register(registry);
  }

  /** Registers gauges that read the feeder's state. */
  void gauges(Supplier<Number> inflight, Supplier<Number> queued, Supplier<Number> limit, Supplier<Number> circuitOpen,
              Supplier<Number> feedBlocked) {
    gauges.add(Gauge.builder("weaver.feed.inflight", inflight).description("Operations sent to Vespa and not answered yet")
        .tag("verticle_instance", instance).register(registry));
    gauges.add(Gauge.builder("weaver.feed.queued", queued).description("Operations waiting for an in-flight slot or a retry")
        .tag("verticle_instance", instance).register(registry));
    gauges.add(Gauge.builder("weaver.feed.inflight.limit", limit).description("Current adaptive in-flight limit")
        .tag("verticle_instance", instance).register(registry));
    gauges.add(Gauge.builder("weaver.feed.circuit.open", circuitOpen).description("1 while the circuit breaker is open")
        .tag("verticle_instance", instance).register(registry));
    gauges.add(Gauge.builder("weaver.feed.blocked", feedBlocked).description("1 while Vespa refuses writes (507)")
        .tag("verticle_instance", instance).register(registry));
  }

  /** Unregisters the gauges, which refer to a closed feeder. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }

  void attempt(long latencyNanos) {
    latency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** @param cause the HTTP status, or {@code transport} */
  void retry(String cause) {
    retry(cause, 1);
  }

  private void retry(String cause, int n) {
    retries.computeIfAbsent(cause, c -> Counter.builder("weaver.feed.retries").description("Attempts retried, by status")
        .tag("status", c).register(registry)).increment(n);
  }
}
