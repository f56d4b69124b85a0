package ai.pintxo.weaver.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.tracing.opentelemetry.VertxContextStorageProvider.VertxContextStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The weaver's spans on one Vert.x instance, and the W3C trace context they carry through Kafka.
 * <ul>
 *   <li>a source starts a {@link #sourceEvent span per source event} (a poll response, a stream
 *       message, a Substreams block) and ends it when Kafka acknowledged the event's records; each
 *       record carries the span's context in its {@code traceparent} header ({@link #headers});</li>
 *   <li>the connector {@link #process continues the trace} of each record it reads, around decoding,
 *       processing and feeding, and runs the Vespa request {@link #within within} that span, so the
 *       Vert.x HTTP client's own tracing adds the request's span, which ends at Vespa's answer;</li>
 *   <li>log lines written while a span is current carry its trace id (the launcher's log pattern).</li>
 * </ul>
 * Off unless the application {@link #install installs} an OpenTelemetry (the launcher does, from the
 * deployment's {@code tracing} section and the {@code OTEL_*} variables; an embedding application may
 * install its own). Off, every method returns at once: no span, no header, no context switch.
 */
public final class Tracing implements Shareable {

  /** The header that carries the trace context (W3C Trace Context). */
  public static final String TRACEPARENT = "traceparent";
  /** Vendor data beside it (W3C Trace Context). */
  public static final String TRACESTATE = "tracestate";

  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("weaver.source");
  static final AttributeKey<String> UNIT = AttributeKey.stringKey("weaver.unit");
  public static final AttributeKey<Long> RECORDS = AttributeKey.longKey("weaver.records");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.kafka.destination.partition");
  static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.message.offset");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> DOCUMENT = AttributeKey.stringKey("weaver.document");

  private static final String KEY = Tracing.class.getName();
  private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), false);

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean on;

  private Tracing(OpenTelemetry telemetry, boolean on) {
    this.tracer = telemetry.getTracer("ai.pintxo.weaver");
    this.propagator = telemetry.getPropagators().getTextMapPropagator();
    this.on = on;
  }

  /**
   * Turns tracing on for the verticles deployed on {@code vertx} from now on. Create the Vert.x instance
   * with {@code Vertx.builder().withTracer(new OpenTelemetryTracingFactory(telemetry))} too, so its HTTP
   * client's spans join the traces.
   */
  public static void install(Vertx vertx, OpenTelemetry telemetry) {
    LocalMap<String, Tracing> map = vertx.sharedData().getLocalMap(KEY);
    map.put(KEY, new Tracing(telemetry, true));
  }

  /** @return the tracing of the verticles on {@code vertx}: off unless {@link #install installed} */
  public static Tracing of(Vertx vertx) {
    LocalMap<String, Tracing> map = vertx.sharedData().getLocalMap(KEY);
    Tracing tracing = map.get(KEY);
    return tracing == null ? OFF : tracing;
  }

  /** @return whether spans are made */
  public boolean on() {
    return on;
  }

  /**
   * A new trace for one source event; end it when Kafka acknowledged the records it produced.
   *
   * @param name   the span's name, e.g. {@code poll chains}
   * @param source the source's pipeline
   * @param unit   its unit of work (data type, feeds, stream, substream)
   * @return the span, invalid (and free) when tracing is off
   */
  public Span sourceEvent(String name, String source, String unit) {
    if (!on) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setNoParent().setSpanKind(SpanKind.PRODUCER)
        .setAttribute(SOURCE, source).setAttribute(UNIT, unit).setAttribute(SYSTEM, "kafka").startSpan();
  }

  /**
   * @param span the span whose context the record carries
   * @param base the record's other headers
   * @return {@code base} plus {@code traceparent} (and {@code tracestate} if any); {@code base} itself when there is no trace
   */
  public List<Header> headers(Span span, List<Header> base) {
    if (!on || !span.getSpanContext().isValid()) {
      return base;
    }
    List<Header> headers = new ArrayList<>(base.size() + 2);
    headers.addAll(base);
    propagator.inject(Context.root().with(span), headers, KafkaHeaderCarrier.SETTER);
    return headers;
  }

  /**
   * The trace context a record's dead letter keeps: the span's when tracing is on, else the one the
   * record came with (a weaver without tracing passes it on untouched).
   *
   * @return the {@code traceparent}/{@code tracestate} headers, possibly none
   */
  public List<Header> carried(Span span, Headers original) {
    if (on && span.getSpanContext().isValid()) {
      return headers(span, List.of());
    }
    List<Header> headers = new ArrayList<>(2);
    for (String key : new String[] {TRACEPARENT, TRACESTATE}) {
      Header header = original.lastHeader(key);
      if (header != null) {
        headers.add(header);
      }
    }
    return headers;
  }

  /**
   * Continues the trace a record carries (a new trace when it carries none).
   *
   * @return the span around the record's processing and feeding; invalid when tracing is off
   */
  public Span process(ConsumerRecord<byte[], byte[]> record) {
    if (!on) {
      return Span.getInvalid();
    }
    Context parent = propagator.extract(Context.root(), record.headers(), KafkaHeaderCarrier.GETTER);
    SpanBuilder builder = tracer.spanBuilder("process " + record.topic()).setParent(parent).setSpanKind(SpanKind.CONSUMER)
        .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, record.topic())
        .setAttribute(PARTITION, (long) record.partition()).setAttribute(OFFSET, record.offset());
    return builder.startSpan();
  }

  /**
   * Runs {@code action} on a duplicate of the current Vert.x context that holds {@code span} as the
   * active trace context: what the Vert.x clients started by {@code action} read to make their own
   * spans (children of {@code span}) and to propagate the context on the wire. The duplicate lives as
   * long as the action's callbacks, so the context stays with them and nowhere else. Call it on a
   * Vert.x context thread.
   */
  public <T> Future<T> within(Vertx vertx, Span span, Supplier<Future<T>> action) {
    if (!on || !span.getSpanContext().isValid()) {
      return action.get();
    }
    // Unsampled spans too: the event loop's own context may hold another record's span (the one being
    // processed when this request is pumped), and the client would make this request its child.
    ContextInternal duplicate = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    // Not closed on purpose: the duplicate exists for this action only and is dropped with it.
    VertxContextStorage.INSTANCE.attach(duplicate, Context.root().with(span));
    Promise<T> promise = Promise.promise();
    duplicate.dispatch(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /**
   * Makes {@code span} current on this thread until the scope closes: log lines written meanwhile
   * carry its trace id. A no-op scope when tracing is off.
   */
  public Scope current(Span span) {
    return on ? span.makeCurrent() : Scope.noop();
  }

  /**
   * Ends a span with an error status.
   *
   * @param error one line: what failed
   */
  public static void fail(Span span, String error) {
    if (span.isRecording()) {
      span.setStatus(StatusCode.ERROR, error);
    }
    span.end();
  }
}
