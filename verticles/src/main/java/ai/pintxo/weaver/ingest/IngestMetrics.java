package ai.pintxo.weaver.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest source's counters: {@code weaver.ingest.requests{stream, status}} (every answer) and
 * {@code weaver.ingest.records{stream}} (records acknowledged by Kafka, i.e. in 202 answers). A path
 * naming no configured stream counts as stream {@code (unknown)}: clients do not choose tag values.
 */
final class IngestMetrics {

  static final String UNKNOWN_STREAM = "(unknown)";

  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> records = new ConcurrentHashMap<>();

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers a stream's counters of accepted requests and records, so they are visible at zero before any request. */
  void declare(String stream) {
    answered(stream, 202, 0);
    accepted(stream, 0);
  }

  void answered(String stream, int status) {
    answered(stream, status, 1);
  }

  private void answered(String stream, int status, int count) {
    requests.computeIfAbsent(stream + "\u0000" + status, k -> Counter.builder("weaver.ingest.requests")
        .description("Ingest requests by stream and answer status").tag("stream", stream).tag("status", Integer.toString(status))
        .register(registry)).increment(count);
  }

  void accepted(String stream, int count) {
    records.computeIfAbsent(stream, k -> Counter.builder("weaver.ingest.records")
        .description("Records taken in over HTTP and acknowledged by Kafka").tag("stream", stream).register(registry)).increment(count);
  }
}
