package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.PipelineControl;
import ai.pintxo.weaver.pipeline.UnitReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes records in over HTTP: {@code POST /ingest/<stream>} with one JSON object, a JSON array of
 * them, or NDJSON ({@code Content-Type: application/x-ndjson}), plain or {@code Content-Encoding: gzip}
 * ({@link BodyEncoding}), over HTTP/1.1 or HTTP/2 (cleartext,
 * prior knowledge or upgrade). Each configured stream has a record class, a topic and a bearer token
 * ({@link IngestStreamOptions}); its items are decoded like a real-time stream's events and go to its
 * topic keyed by {@code key()}, so the connector feeds them exactly as it feeds those.
 *
 * <p>The answer says what happened to every record of the request:
 * <ul>
 *   <li>202: Kafka acknowledged every record (through the {@link SourceSink}, never before);</li>
 *   <li>400: some item does not fit the record class; the answer lists item, field and error, and
 *       nothing of the request was produced;</li>
 *   <li>401 without the stream's token, 404 for an unknown stream (the answer names the known ones),
 *       405 for another method, 415 for another content type or content encoding;</li>
 *   <li>413 above {@code maxBodySize} (the body is not read beyond it) or {@code maxRecordsPerRequest};</li>
 *   <li>429 with {@code Retry-After} while the sink is paused (full, or Kafka unavailable): back-pressure
 *       reaches the client instead of memory;</li>
 *   <li>503 with {@code Retry-After} when Kafka did not acknowledge within {@code ackTimeout} (the records
 *       are still sent; a retry writes the same keys again, the same documents) or an operator paused it.</li>
 * </ul>
 *
 * <p>An ingest server is not a unit of work shared in the cluster: every process (and every instance,
 * which share the port) serves every stream. Each instance reports one unit {@code http-<id>} on the
 * {@link PipelineBoard}, as the connector's instances do: running, paused while its sink is, with the
 * time of the last accepted request as its last event. Threading: confined to the verticle's event loop;
 * bodies above 64 KiB are decoded on a worker.
 */
public final class HttpIngestVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpIngestVerticle.class);
  static final String TYPE = "HttpIngestVerticle";
  static final String PREFIX = "/ingest/";
  /** Decoding this much JSON takes about a millisecond: larger bodies go to a worker. */
  private static final int INLINE_DECODE_LIMIT = 64 * 1024;
  private static final Duration SINK_CLOSE_GRACE = Duration.ofSeconds(30);
  private static final long SHUTDOWN_GRACE_SECONDS = 10;

  private HttpIngestOptions options;
  private final Map<String, IngestStream<?>> streams = new LinkedHashMap<>();
  private IngestMetrics metrics;
  private SourceSink sink;
  private HttpServer server;
  private PipelineBoard board;
  private UnitReporter reporter;
  private PipelineControl control;
  private String pipeline;
  /** Why an operator paused the pipeline, or null. */
  private String operatorPause;

  /** Reads its options from the deployment's JSON config. */
  public HttpIngestVerticle() {
  }

  public HttpIngestVerticle(HttpIngestOptions options) {
    this.options = options.validate();
  }

  /** @return the port it listens on (useful with port 0), -1 before it listens */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    try {
      if (options == null) {
        options = new HttpIngestOptions(config());
      }
      options.getKafka().validateForClients("kafka");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    MeterRegistry registry = WeaverMetrics.registry(vertx);
    metrics = new IngestMetrics(registry);
    List<String> topics = new ArrayList<>();
    for (IngestStreamOptions stream : options.getStreams()) {
      streams.put(stream.getName(), IngestStream.of(stream, registry));
      metrics.declare(stream.getName());
      topics.add(stream.getTopic());
    }
    return TopicCreator.ensure(vertx, options.getKafka(), topics)
        .compose(v -> vertx.executeBlocking(() -> KafkaClients.sourceProducer(vertx, options.getKafka(), "weaver-ingest")))
        .compose(producer -> {
          // Every failed send also reaches the producer's exception handler; the sink logs and counts each one already.
          producer.exceptionHandler(e -> LOG.atDebug().log("ingest.producer_error: {}", e.toString()));
          sink = new SourceSink(vertx, SourceSink.Sender.of(producer),
              SourceSink.Settings.of("ingest", SourceSink.Mode.EVERY_RECORD).withMaxPending(options.getMaxPending()), registry)
              .listener(new SinkListener());
          server = vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())
              .setHttp2ClearTextEnabled(true).setInitialSettings(new Http2Settings().setMaxConcurrentStreams(512)))
              .requestHandler(this::handle);
          return server.listen();
        })
        .onSuccess(s -> {
          report();
          LOG.atInfo().addKeyValue("host", options.getHost()).addKeyValue("port", s.actualPort())
              .addKeyValue("streams", String.join(",", streams.keySet())).log("ingest.listening");
        });
  }

  private void report() {
    board = PipelineBoard.of(vertx);
    pipeline = options.getCluster().pipeline(TYPE);
    String unit = "http-" + UUID.randomUUID().toString().substring(0, 8);
    board.declare(pipeline, TYPE, List.of(unit));
    reporter = board.register(pipeline, unit, options.getCluster().member());
    reporter.detail("listening on " + options.getHost() + ":" + server.actualPort() + ", streams " + String.join(", ", streams.keySet()));
    reporter.running();
    control = new PipelineControl() {
      @Override
      public void pause(String reason) {
        context.runOnContext(v -> {
          operatorPause = reason;
          reporter.paused(reason);
        });
      }

      @Override
      public void resume() {
        context.runOnContext(v -> {
          operatorPause = null;
          if (!sink.paused()) {
            reporter.resumed();
          }
        });
      }
    };
    board.control(pipeline, control);
    String paused = board.pausedReason(pipeline);
    if (paused != null) {
      control.pause(paused);
    }
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    IngestStream<?> stream = path.startsWith(PREFIX) ? streams.get(path.substring(PREFIX.length())) : null;
    if (stream == null) {
      String asked = path.startsWith(PREFIX) ? "unknown stream '" + abbreviate(path.substring(PREFIX.length())) + "'" : "unknown path";
      refuse(req, IngestMetrics.UNKNOWN_STREAM, 404, message(asked + "; POST /ingest/<stream> with one of the streams")
          .put("streams", new JsonArray(new ArrayList<>(streams.keySet()))));
      return;
    }
    String name = stream.name();
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader(HttpHeaders.ALLOW, "POST");
      refuse(req, name, 405, message("use POST"));
      return;
    }
    if (!stream.authorized(req.getHeader(HttpHeaders.AUTHORIZATION))) {
      req.response().putHeader("WWW-Authenticate", "Bearer realm=\"weaver-ingest\"");
      refuse(req, name, 401, message("stream '" + name + "' requires Authorization: Bearer <its token>"));
      return;
    }
    Boolean ndjson = ndjson(req.getHeader(HttpHeaders.CONTENT_TYPE));
    if (ndjson == null) {
      refuse(req, name, 415, message("Content-Type must be application/json or application/x-ndjson"));
      return;
    }
    long declared = contentLength(req);
    if (declared > options.getMaxBodySize()) {
      tooLarge(req, name);
      return;
    }
    if (refusedForNow(req, name)) {
      return;
    }
    Buffer body = Buffer.buffer((int) Math.max(256, Math.min(declared, options.getMaxBodySize())));
    boolean[] refused = {false};
    req.handler(chunk -> {
      if (refused[0]) {
        return; // the answer is given; the rest is discarded, not buffered
      }
      if (body.length() + chunk.length() > options.getMaxBodySize()) {
        refused[0] = true;
        tooLarge(req, name);
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(e -> LOG.atDebug().addKeyValue("stream", name).log("ingest.request_failed: {}", e.toString()));
    req.endHandler(v -> {
      if (!refused[0]) {
        decode(req, stream, body, ndjson);
      }
    });
  }

  /** Answers 503 while an operator paused the pipeline, 429 while the sink is paused. */
  private boolean refusedForNow(HttpServerRequest req, String name) {
    if (operatorPause != null) {
      retryAfter(req);
      refuse(req, name, 503, message("paused: " + operatorPause));
      return true;
    }
    if (sink.paused()) {
      retryAfter(req);
      refuse(req, name, 429, message((sink.available() ? "the Kafka sink is full" : "Kafka is unavailable")
          + "; retry after " + retryAfterSeconds() + " s"));
      return true;
    }
    return false;
  }

  private <T extends ai.pintxo.weaver.codecs.Keyed> void decode(HttpServerRequest req, IngestStream<T> stream, Buffer body, boolean ndjson) {
    String encoding = req.getHeader(HttpHeaders.CONTENT_ENCODING);
    Future<IngestBody<T>> decoded = body.length() > INLINE_DECODE_LIMIT || BodyEncoding.compressed(encoding)
        ? vertx.executeBlocking(() -> read(stream, encoding, body, ndjson), false)
        : readNow(stream, encoding, body, ndjson);
    decoded.onComplete(ar -> {
      String name = stream.name();
      if (ar.cause() instanceof BodyEncoding.RefusedBody refused) {
        LOG.atDebug().addKeyValue("stream", name).addKeyValue("status", refused.status()).log("ingest.body_refused");
        answer(req, name, refused.status(), message(refused.getMessage()));
        return;
      }
      if (ar.failed()) {
        LOG.atError().addKeyValue("stream", name).log("ingest.decode_failed: {}", ar.cause().toString());
        answer(req, name, 500, message("the body could not be decoded: " + ar.cause()));
        return;
      }
      IngestBody<T> read = ar.result();
      if (!read.errors().isEmpty()) {
        JsonArray errors = new JsonArray();
        read.errors().forEach(e -> errors.add(e.toJson()));
        int refusedItems = read.errors().size() + read.more();
        JsonObject answer = message(refusedItems + (refusedItems == 1 ? " item does" : " items do") + " not fit "
            + stream.topic().type().getSimpleName() + "; nothing of this request was produced").put("errors", errors);
        if (read.more() > 0) {
          answer.put("more", read.more());
        }
        LOG.atDebug().addKeyValue("stream", name).addKeyValue("refused", refusedItems).log("ingest.bad_request");
        answer(req, name, 400, answer);
        return;
      }
      int count = read.records().size();
      if (count > options.getMaxRecordsPerRequest()) {
        answer(req, name, 413, message(count + " records, more than maxRecordsPerRequest " + options.getMaxRecordsPerRequest()));
        return;
      }
      if (refusedForNow(req, name)) {
        return; // paused while the body was read: nothing of it is produced
      }
      acknowledged(stream.produce(sink, read.records()))
          .onComplete(done -> {
            if (done.succeeded()) {
              metrics.accepted(name, count);
              reporter.event();
              answer(req, name, 202, new JsonObject().put("accepted", count));
            } else if (done.cause() instanceof TimeoutException) {
              retryAfter(req);
              answer(req, name, 503, message("Kafka did not acknowledge within " + options.getAckTimeout().toMillis()
                  + " ms; the records are still being sent, a retry writes the same keys again"));
            } else {
              retryAfter(req);
              answer(req, name, 503, message("Kafka did not take the records: " + done.cause().getMessage()));
            }
          });
    });
  }

  private <T extends ai.pintxo.weaver.codecs.Keyed> IngestBody<T> read(IngestStream<T> stream, String encoding, Buffer body, boolean ndjson) {
    return stream.read(BodyEncoding.decode(stream.name(), encoding, body, options.getMaxBodySize()), ndjson);
  }

  private <T extends ai.pintxo.weaver.codecs.Keyed> Future<IngestBody<T>> readNow(IngestStream<T> stream, String encoding, Buffer body,
      boolean ndjson) {
    try {
      return Future.succeededFuture(read(stream, encoding, body, ndjson));
    } catch (BodyEncoding.RefusedBody e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * @return the acknowledgement, or a {@link TimeoutException} after {@code ackTimeout}; completes on this
   *     verticle's event loop (the sink's futures do, and so does the timer: not {@code Future.timeout}, whose
   *     timer fires on a global thread for futures without a context)
   */
  private Future<Void> acknowledged(Future<Void> produced) {
    Promise<Void> answer = Promise.promise();
    long timer = vertx.setTimer(options.getAckTimeout().toMillis(), t -> answer.tryFail(new TimeoutException("ackTimeout")));
    produced.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        answer.tryComplete();
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future();
  }

  private void tooLarge(HttpServerRequest req, String name) {
    boolean http1 = req.version() != HttpVersion.HTTP_2;
    if (http1) {
      // The unread rest of the body would be taken for the next request: this connection ends with the answer.
      req.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    answer(req, name, 413, message("body larger than maxBodySize " + options.getMaxBodySize() + " bytes"))
        .onComplete(v -> {
          if (http1) {
            req.connection().close();
          }
        });
  }

  /**
   * Answers a request refused before its body was read, once the body has arrived (discarded): on
   * HTTP/1.1 an answer given earlier leaves the unread body on the connection, where it would be read
   * as the next request's start and that request would hang. Bodies are bounded by the client here;
   * one above maxBodySize is answered at once by {@link #tooLarge}, which closes the connection.
   */
  private void refuse(HttpServerRequest req, String stream, int status, JsonObject body) {
    if (req.isEnded()) {
      answer(req, stream, status, body);
      return;
    }
    req.handler(ignored -> { });
    req.exceptionHandler(e -> LOG.atDebug().addKeyValue("stream", stream).log("ingest.request_failed: {}", e.toString()));
    req.endHandler(v -> answer(req, stream, status, body));
  }

  private Future<Void> answer(HttpServerRequest req, String stream, int status, JsonObject body) {
    metrics.answered(stream, status);
    if (req.response().ended() || req.response().closed()) {
      return Future.succeededFuture(); // the client went away while Kafka acknowledged
    }
    return req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  private void retryAfter(HttpServerRequest req) {
    req.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
  }

  private long retryAfterSeconds() {
    return Math.max(1, (options.getRetryAfter().toMillis() + 999) / 1000);
  }

  private static JsonObject message(String message) {
    return new JsonObject().put("message", message);
  }

  /** @return true for NDJSON, false for JSON (also when no type is given), null for anything else */
  private static Boolean ndjson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json", "" -> false;
      case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines" -> true;
      default -> null;
    };
  }

  private static long contentLength(HttpServerRequest req) {
    String header = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

  @Override
  public Future<?> stop() {
    if (board != null) {
      board.removeControl(pipeline, control);
      reporter.close();
    }
    // Requests in flight are answered (their records acknowledged) before the connections close.
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    return closed.transform(v -> sink == null ? Future.succeededFuture() : sink.close(SINK_CLOSE_GRACE));
  }

  /** Reports the sink's pauses: while it is paused, requests are answered 429. */
  private final class SinkListener implements SourceSink.Listener {
    @Override
    public void paused(String reason) {
      if (reporter != null && operatorPause == null) {
        reporter.paused(reason);
      }
    }

    @Override
    public void resumed() {
      if (reporter != null && operatorPause == null) {
        reporter.resumed();
      }
    }
  }
}
