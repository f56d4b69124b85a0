package ai.pintxo.weaver.launcher;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * {@code %traceId} in a log pattern: {@code  trace_id="…"} when the line is written while a span is
 * current on the thread (a record's processing, a source event), nothing otherwise. Logback calls it on
 * the logging thread, where the span is current.
 */
public final class TraceIdConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? " trace_id=\"" + context.getTraceId() + "\"" : "";
  }
}
