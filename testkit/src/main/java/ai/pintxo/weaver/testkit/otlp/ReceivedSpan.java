package ai.pintxo.weaver.testkit.otlp;

import java.util.Map;

/**
 * One span as an OTLP exporter sent it.
 *
 * @param service      the resource's {@code service.name}
 * @param traceId      32 hex digits
 * @param spanId       16 hex digits
 * @param parentSpanId 16 hex digits, or empty for a root span
 * @param name         the span's name
 * @param kind         {@code SPAN_KIND_CLIENT}, {@code SPAN_KIND_CONSUMER}, …
 * @param startNanos   start, epoch nanoseconds
 * @param endNanos     end, epoch nanoseconds
 * @param status       {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}
 * @param attributes   attribute values as text
 */
public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
                           long startNanos, long endNanos, String status, Map<String, String> attributes) {

  /** @return the span's duration in milliseconds */
  public double millis() {
    return (endNanos - startNanos) / 1e6;
  }

  /** @return whether it has no parent */
  public boolean root() {
    return parentSpanId.isEmpty();
  }

  @Override
  public String toString() {
    return String.format("%s %s (%s, %.2f ms, span %s, parent %s, %s)", name, kind.replace("SPAN_KIND_", "").toLowerCase(java.util.Locale.ROOT),
        status.replace("STATUS_CODE_", "").toLowerCase(java.util.Locale.ROOT), millis(), spanId, root() ? "none" : parentSpanId, attributes);
  }
}
