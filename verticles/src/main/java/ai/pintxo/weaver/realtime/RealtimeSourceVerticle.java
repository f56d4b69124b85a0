package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.cluster.UnitWorker;
import ai.pintxo.weaver.cluster.Units;
import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.impl.stream.ReportingObserver;
import ai.pintxo.weaver.impl.stream.ResilientStream;
import ai.pintxo.weaver.impl.stream.SseEvent;
import ai.pintxo.weaver.impl.stream.StreamConnection;
import ai.pintxo.weaver.impl.stream.StreamGate;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.trace.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any real-time JSON stream to Kafka, from configuration: each configured stream (SSE or WebSocket)
 * stays up through a {@link ResilientStream}; its events become typed records through a
 * {@link RecordMapping} and are produced to the stream's topic, keyed by the record's key. An
 * event that does not fit the record class is dead-lettered with the stream named; the stream goes on.
 * Records go through a {@link SourceSink} that keeps every one until Kafka acknowledged it; while the sink is
 * full or Kafka is unavailable the streams are paused ({@link StreamGate}) and the server's sends wait in
 * the network's buffers.
 * A new stream is a record class and one entry in {@code streams}.
 */
public final class RealtimeSourceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RealtimeSourceVerticle.class);
  /** How long a stopping instance waits for Kafka to acknowledge what it read (a stop during an outage still ends). */
  private static final java.time.Duration SINK_CLOSE_GRACE = java.time.Duration.ofSeconds(30);

  private RealtimeSourceOptions options;
  private HttpClient http;
  private WebSocketClient webSocket;
  private SourceSink sink;
  private final StreamGate gate = new StreamGate(() -> this.reporters.values());
  private DeadLetterWriter deadLetters;
  private MeterRegistry registry;
  /** The running stream of each unit (stream name) this instance owns. */
  private final Map<String, ResilientStream> streams = new HashMap<>();
  private final Map<String, UnitReporter> reporters = new HashMap<>();
  private Units units;
  private Tracing tracing;

  /** Reads its options from the deployment's JSON config. */
  public RealtimeSourceVerticle() {
  }

  public RealtimeSourceVerticle(RealtimeSourceOptions options) {
    this.options = options.validate(); // options built in Java get the errors a deployment file gets, before anything starts
  }

  @Override
  public Future<?> start() {
    try {
      if (options == null) {
        options = new RealtimeSourceOptions(config());
      }
      options.getKafka().validateForClients("kafka");
      options.getStreams().forEach(RealtimeStreamOptions::mapping);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    registry = WeaverMetrics.registry(vertx);
    tracing = Tracing.of(vertx);
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000).setMaxInitialLineLength(64 * 1024));
    webSocket = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
        .setMaxMessageSize(16 * 1024 * 1024).setMaxFrameSize(1024 * 1024));
    Set<String> topics = new LinkedHashSet<>();
    for (RealtimeStreamOptions stream : options.getStreams()) {
      topics.add(stream.getTopic());
      topics.add(stream.mapping().topic().deadLetterTopic());
    }
    return TopicCreator.ensure(vertx, options.getKafka(), topics)
        .compose(v -> vertx.executeBlocking(() -> KafkaClients.sourceProducer(vertx, options.getKafka(), "weaver-realtime")))
        .compose(producer -> {
          // Every record counts (a trade is not replaced by the next): while the sink is full or Kafka is down, the streams pause.
          sink = new SourceSink(vertx, SourceSink.Sender.of(producer), SourceSink.Settings.of("realtime", SourceSink.Mode.EVERY_RECORD),
              registry).listener(gate);
          deadLetters = new DeadLetterWriter(sink, registry);
          Map<String, RealtimeStreamOptions> byName = new HashMap<>();
          options.getStreams().forEach(stream -> byName.put(stream.getName(), stream));
          // A unit is one stream: across every process sharing the pipeline, each stream is open once.
          units = new Units(vertx, options.getKafka(), options.getCluster(), RealtimeSourceProvider.TYPE, byName.keySet(), new UnitWorker() {
            @Override
            public Future<Void> startUnit(String unit, UnitReporter reporter) {
              reporters.put(unit, reporter);
              RealtimeStreamOptions config = byName.get(unit);
              start(config, config.mapping());
              return Future.succeededFuture();
            }

            @Override
            public Future<Void> stopUnit(String unit) {
              reporters.remove(unit);
              ResilientStream stream = streams.remove(unit);
              Future<Void> closed = Future.succeededFuture();
              if (stream != null) {
                closed = stream.stop();
                gate.remove(stream);
              }
              // Closed, and what the stream delivered acknowledged, before it may open elsewhere.
              return closed.compose(v -> sink.drained(SINK_CLOSE_GRACE));
            }
          });
          return units.start();
        });
  }

  private <T extends Keyed> void start(RealtimeStreamOptions config, RecordMapping<T> mapping) {
    String name = config.getName();
    UnitReporter reporter = reporters.get(name);
    if (reporter == null) {
      return; // the unit was stopped (moved, paused) while a retry waited
    }
    Topic<T> topic = mapping.topic();
    Counter events = Counter.builder("weaver.realtime.events").tag("stream", name).register(registry);
    Counter produced = Counter.builder("weaver.records.produced").tag("topic", topic.name()).register(registry);
    Counter ignored = Counter.builder("weaver.realtime.ignored").tag("stream", name)
        .description("Events of another type and control messages").register(registry);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(config.getHeaders());
    headers.add("User-Agent", options.getCluster().userAgent("pintxo-data-weaver"));
    RequestBudget budget = RequestBudget.forUrl(vertx, URI.create(config.getUrl()), options.getRequestsPerPeriod(), options.getRequestPeriod());
    // Vert.x takes WebSocket URLs as ws:// or wss:// only.
    String url = config.getTransport() == Transport.WEBSOCKET ? config.getUrl().replaceFirst("^http(s?)://", "ws$1://") : config.getUrl();
    Transport.Clients clients = new Transport.Clients() {
      @Override
      public HttpClient http() {
        return http;
      }

      @Override
      public WebSocketClient webSocket() {
        return webSocket;
      }
    };
    StreamConnection.Factory connections = config.getTransport().connections(vertx, clients, url, headers, config.getSubscribe(),
        config.getPingInterval());
    ResilientStream stream = new ResilientStream(vertx, connections, name, config.getStream(), budget, new ReportingObserver(reporter) {
      @Override
      protected void handle(SseEvent event) {
        if (!config.getEventType().equals(event.event())) {
          ignored.increment();
          return;
        }
        events.increment();
        // One trace per message: its records carry it to the connector.
        Span span = tracing.sourceEvent("stream " + name, options.getCluster().getPipeline(), name);
        try (Scope scope = tracing.current(span)) {
          List<Header> trace = tracing.headers(span, List.of());
          List<T> records;
          try {
            records = mapping.map(event.data(), name);
          } catch (PayloadDecodeException e) {
            LOG.atWarn().addKeyValue("stream", name).log("realtime.bad_event: {}", e.getMessage());
            deadLetters.write(topic.name(), null, event.data().getBytes(StandardCharsets.UTF_8),
                new DeadLetter("decode", e.getMessage(), 0, RecordOrigin.source(name), Instant.now()), trace);
            Tracing.fail(span, "undecodable message: " + e.getMessage());
            return;
          }
          if (records.isEmpty()) {
            ignored.increment();
          }
          for (T record : records) {
            // A failure is counted and logged by the sink.
            sink.send(topic.name(), topic.keySerde().encode(record.key()), topic.encode(record), trace)
                .onSuccess(v -> produced.increment());
          }
          if (span.isRecording()) {
            span.setAttribute(Tracing.RECORDS, (long) records.size());
          }
          span.end();
        }
      }

      @Override
      public void refused(int status, String body) {
        LOG.atError().addKeyValue("stream", name).addKeyValue("url", Redact.url(config.getUrl())).addKeyValue("status", status)
            .log("realtime.stream_refused: check the URL, headers and subscription; retrying in {}", config.getStream().maxBackoff());
        ResilientStream refusedStream = streams.remove(name);
        if (refusedStream != null) {
          gate.remove(refusedStream);
        }
        reporter.backingOff(Instant.now().plus(config.getStream().maxBackoff()), "refused with " + status);
        vertx.setTimer(config.getStream().maxBackoff().toMillis(), t -> start(config, mapping));
      }
    });
    streams.put(name, stream);
    gate.add(stream);
    LOG.atInfo().addKeyValue("stream", name).addKeyValue("transport", config.getTransport().name().toLowerCase())
        .addKeyValue("url", Redact.url(config.getUrl())).addKeyValue("topic", topic.name()).log("realtime.stream_starting");
    stream.start();
  }

  @Override
  public Future<?> stop() {
    Future<Void> unitsStopped = units == null ? Future.succeededFuture() : units.stop();
    Future<Void> flushed = unitsStopped.compose(v -> sink == null ? Future.succeededFuture() : sink.close(SINK_CLOSE_GRACE));
    return flushed.compose(v -> Future.join(http == null ? Future.succeededFuture() : http.close(),
        webSocket == null ? Future.succeededFuture() : webSocket.close()));
  }
}
