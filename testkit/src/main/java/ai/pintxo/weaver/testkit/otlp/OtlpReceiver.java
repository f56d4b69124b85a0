package ai.pintxo.weaver.testkit.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector's trace endpoint, as the OTLP/HTTP specification defines it:
 * {@code POST /v1/traces} with an {@code ExportTraceServiceRequest} in binary protobuf
 * ({@code Content-Type: application/x-protobuf}, gzip allowed), answered with an
 * {@code ExportTraceServiceResponse}; anything else is 404 or 415. Keeps every span it received.
 *
 * <p>Threading: written on its event loop, read from any thread (methods are synchronized).
 */
public final class OtlpReceiver {

  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_BODY = 16 << 20;

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private int exports;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /**
   * @param port port on 127.0.0.1, 0 for a free one
   * @return the receiver, once it listens
   */
  public static Future<OtlpReceiver> start(Vertx vertx, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    OtlpReceiver receiver = new OtlpReceiver(server);
    server.requestHandler(receiver::handle);
    return server.listen().map(s -> receiver);
  }

  /** @return the endpoint to configure ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); traces go to its {@code /v1/traces} */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** @return every span received so far, in arrival order */
  public synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** @return the spans of one trace, in start order */
  public synchronized List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId))
        .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
  }

  /** @return the spans received so far, trace by trace */
  public synchronized Map<String, List<ReceivedSpan>> traces() {
    return spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId, LinkedHashMap::new, Collectors.toList()));
  }

  /** @return export requests accepted so far */
  public synchronized int exports() {
    return exports;
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    if (!"/v1/traces".equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (!"POST".equals(req.method().name())) {
      req.response().setStatusCode(405).putHeader("Allow", "POST").end();
      return;
    }
    String type = req.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/x-protobuf")) {
      req.response().setStatusCode(415).end("only application/x-protobuf is accepted here");
      return;
    }
    boolean gzip = "gzip".equalsIgnoreCase(req.getHeader("Content-Encoding"));
    req.body().onSuccess(body -> {
      ExportTraceServiceRequest export;
      try {
        export = ExportTraceServiceRequest.parseFrom(gzip ? gunzip(body) : body.getBytes());
      } catch (InvalidProtocolBufferException | UncheckedIOException e) {
        req.response().setStatusCode(400).end("not an ExportTraceServiceRequest: " + e.getMessage());
        return;
      }
      received(export);
      req.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf")
          .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
    });
  }

  private synchronized void received(ExportTraceServiceRequest export) {
    exports++;
    for (ResourceSpans resourceSpans : export.getResourceSpansList()) {
      String service = attributes(resourceSpans.getResource()).getOrDefault("service.name", "");
      for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(new ReceivedSpan(service, hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()), span.getName(),
              span.getKind().name(), span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), span.getStatus().getCode().name(),
              attributes(span.getAttributesList())));
        }
      }
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      map.put(kv.getKey(), text(kv.getValue()));
    }
    return map;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> value.toString().trim();
    };
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static byte[] gunzip(Buffer body) {
    if (body.length() > MAX_BODY) {
      throw new UncheckedIOException(new IOException("body above " + MAX_BODY + " bytes"));
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      return in.readNBytes(MAX_BODY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
