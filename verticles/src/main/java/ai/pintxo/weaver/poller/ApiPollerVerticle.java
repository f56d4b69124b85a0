package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.cluster.UnitWorker;
import ai.pintxo.weaver.cluster.Units;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.pipeline.UnitReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls REST endpoints and produces their records to Kafka ({@code <dataType>-api-topic}), keyed
 * by Vespa document id, only when a record changed since it was last produced (see
 * {@link ProducedState}). Each endpoint is a unit of work ({@link Units}): every instance in every
 * weaver process sharing the pipeline polls its share, each endpoint in one place, like a Kafka
 * Connect connector split into tasks.
 *
 * <p>Each instance listens on the event bus at {@link #TRIGGER_ADDRESS}{@code <dataType>} for its
 * data types: a message {@code {"force": bool}} polls now (the admin endpoint's
 * {@code POST /admin/poll/<dataType>}); the reply says how many endpoints were triggered.
 *
 * <p>Deploy with an {@link ApiPollerOptions} object, or with a JSON config of the same shape.
 */
public final class ApiPollerVerticle extends VerticleBase {

  /** Event-bus address prefix of the manual trigger; the data type follows. */
  public static final String TRIGGER_ADDRESS = "weaver.poller.poll.";

  private static final Logger LOG = LoggerFactory.getLogger(ApiPollerVerticle.class);
  /** How long a stopping instance waits for Kafka to acknowledge what it polled (a stop during an outage still ends). */
  private static final java.time.Duration SINK_CLOSE_GRACE = java.time.Duration.ofSeconds(30);

  private ApiPollerOptions options;
  /** The pollers of the units (endpoints) this instance owns now. */
  private final Map<String, EndpointPoller<?>> pollers = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, EndpointOptions> byUnit = new java.util.TreeMap<>();
  private Units units;
  private ProducedState state;
  private DeadLetterWriter deadLetters;
  private MeterRegistry registry;
  private final List<MessageConsumer<JsonObject>> triggers = new ArrayList<>();
  private SourceSink sink;
  private HttpClient client;

  /** Reads its options from the deployment's JSON config. */
  public ApiPollerVerticle() {
  }

  /** @param options the options, used instead of the deployment's JSON config */
  public ApiPollerVerticle(ApiPollerOptions options) {
    this.options = options.validate(); // options built in Java get the errors a deployment file gets, before anything starts
  }

  @Override
  public Future<?> start() {
    try {
      if (options == null) {
        options = new ApiPollerOptions(config());
      }
      options.getKafka().validateForClients("kafka");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Set<String> recordTopics = new LinkedHashSet<>();
    return endpoints()
        .compose(all -> {
          Set<String> topics = new LinkedHashSet<>();
          for (EndpointOptions endpoint : all) {
            Topic<?> topic = handler(endpoint).topic();
            recordTopics.add(topic.name());
            topics.add(topic.name());
            topics.add(topic.deadLetterTopic());
          }
          Future<Void> state = options.isChangeOnly() && !all.isEmpty()
              ? TopicCreator.ensureCompacted(vertx, options.getKafka(), options.getStateTopic())
              : Future.succeededFuture();
          return state.compose(v -> TopicCreator.ensure(vertx, options.getKafka(), topics)).map(all);
        })
        // The Kafka producer does I/O and heavy set-up in its constructor: build it on a worker.
        .compose(all -> vertx.executeBlocking(() -> KafkaClients.sourceProducer(vertx, options.getKafka(), "weaver-api-poller")).map(producer -> {
          // Responses pause on their own emitter's pending records; the sink's pause matters for deferred polls only.
          sink = new SourceSink(vertx, SourceSink.Sender.of(producer), SourceSink.Settings.of("api-poller", SourceSink.Mode.EVERY_RECORD),
              WeaverMetrics.registry(vertx)).listener(new SourceSink.Listener() {
                @Override
                public void paused(String reason) {
                }

                @Override
                public void resumed() {
                  List.copyOf(pollers.values()).forEach(EndpointPoller::sinkResumed);
                }
              });
          return all;
        }))
        .compose(all -> (options.isChangeOnly() && !all.isEmpty()
            ? ProducedState.load(vertx, options.getKafka(), options.getStateTopic(), recordTopics)
            : Future.succeededFuture(ProducedState.disabled()))
            .map(loaded -> {
              state = loaded;
              registry = WeaverMetrics.registry(vertx);
              // A connection failure (e.g. a body marked gzip that is not) also fails the request, and the
              // poller's poll.failed line names the endpoint; without a handler Vert.x logs it again as a
              // context-free ERROR. Kept at DEBUG, with the server it came from.
              client = vertx.httpClientBuilder().with(new HttpClientOptions().setDecompressionSupported(true))
                  .with(new PoolOptions().setHttp1MaxSize(4))
                  .withConnectHandler(connection -> connection.exceptionHandler(e -> LOG.atDebug()
                      .addKeyValue("server", String.valueOf(connection.remoteAddress())).addKeyValue("error", String.valueOf(e))
                      .log("poll.connection_error")))
                  .build();
              deadLetters = new DeadLetterWriter(sink, registry);
              Map<String, Long> perDataType = new java.util.HashMap<>();
              all.forEach(e -> perDataType.merge(e.getDataType(), 1L, Long::sum));
              for (EndpointOptions endpoint : all) {
                String unit = unitId(endpoint, perDataType.get(endpoint.getDataType()) > 1, byUnit.keySet());
                byUnit.put(unit, endpoint);
              }
              return all;
            }))
        .compose(all -> registerTriggers())
        .compose(v -> {
          // A unit is one endpoint: across every process sharing the pipeline, each endpoint is polled by one.
          units = new Units(vertx, options.getKafka(), options.getCluster(), ApiPollerProvider.TYPE, byUnit.keySet(), new UnitWorker() {
            @Override
            public Future<Void> startUnit(String unit, UnitReporter reporter) {
              EndpointPoller<?> poller = poller(byUnit.get(unit), deadLetters, state, registry);
              poller.report(reporter);
              pollers.put(unit, poller);
              poller.onPoll(at -> units.checkpoint(unit, Long.toString(at.toEpochMilli()).getBytes(StandardCharsets.UTF_8))
                  .onFailure(err -> LOG.atDebug().addKeyValue("unit", unit).log("poll.checkpoint_failed: {}", err.toString())));
              // An endpoint polled elsewhere a moment ago (the unit moved) continues that schedule: no extra poll.
              return units.lastCheckpoint(unit)
                  .recover(err -> Future.succeededFuture(java.util.Optional.empty()))
                  .map(last -> {
                    if (pollers.get(unit) == poller) {
                      poller.start(firstPollIn(poller, last));
                    }
                    return null;
                  });
            }

            @Override
            public Future<Void> stopUnit(String unit) {
              EndpointPoller<?> poller = pollers.remove(unit);
              // A poll waits for its records' acknowledgements, which never come while Kafka is down: a stop still ends.
              return poller == null ? Future.succeededFuture()
                  : poller.stop().timeout(SINK_CLOSE_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).otherwiseEmpty();
            }
          });
          return units.start();
        });
  }

  private static Duration firstPollIn(EndpointPoller<?> poller, java.util.Optional<byte[]> last) {
    Duration interval = poller.interval();
    if (interval == null || last.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      long due = Long.parseLong(new String(last.get(), StandardCharsets.UTF_8)) + interval.toMillis();
      long wait = due - System.currentTimeMillis();
      return wait <= 0 ? Duration.ZERO : Duration.ofMillis(Math.min(wait, interval.toMillis()));
    } catch (NumberFormatException e) {
      return Duration.ZERO; // a checkpoint of another version: poll now
    }
  }

  /**
   * @param shared whether other endpoints have the same data type
   * @return the unit id of an endpoint: its data type, with its URL (without secrets) when the data
   *     type has several endpoints, numbered when the same pair repeats; the same in every process
   */
  static String unitId(EndpointOptions endpoint, boolean shared, Set<String> taken) {
    String base = shared ? endpoint.getDataType() + " " + ai.pintxo.weaver.config.Redact.url(endpoint.getEndpoint()) : endpoint.getDataType();
    String id = base;
    for (int n = 2; taken.contains(id); n++) {
      id = base + " #" + n;
    }
    return id;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private EndpointPoller<?> poller(EndpointOptions endpoint, DeadLetterWriter deadLetters, ProducedState state,
                                   MeterRegistry registry) {
    ApiHandler<? extends Keyed> handler = handler(endpoint);
    return new EndpointPoller(vertx, client, endpoint, handler, sink, deadLetters, options, state, registry);
  }

  private static ApiHandler<?> handler(EndpointOptions endpoint) {
    return endpoint.handler();
  }

  private Future<Void> registerTriggers() {
    Set<String> dataTypes = new LinkedHashSet<>();
    byUnit.values().forEach(e -> dataTypes.add(handler(e).dataType()));
    List<Future<Void>> registered = new ArrayList<>();
    for (String dataType : dataTypes) {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(TRIGGER_ADDRESS + dataType, message -> {
        boolean force = message.body() != null && Boolean.TRUE.equals(message.body().getBoolean("force"));
        int triggered = 0;
        for (EndpointPoller<?> poller : pollers.values()) {
          if (poller.dataType().equals(dataType)) {
            poller.poll(force);
            triggered++;
          }
        }
        LOG.atInfo().addKeyValue("dataType", dataType).addKeyValue("force", force).addKeyValue("endpoints", triggered)
            .log("poll.triggered");
        message.reply(new JsonObject().put("dataType", dataType).put("endpoints", triggered).put("force", force));
      });
      triggers.add(consumer);
      registered.add(consumer.completion());
    }
    return Future.all(registered).mapEmpty();
  }

  private Future<List<EndpointOptions>> endpoints() {
    List<EndpointOptions> all = new ArrayList<>(options.getEndpoints());
    if (options.getEndpointsFile() == null) {
      return Future.succeededFuture(all);
    }
    String path = options.getEndpointsFile();
    return vertx.fileSystem().readFile(path)
        .recover(err -> Future.failedFuture(new ai.pintxo.weaver.config.ConfigException("endpointsFile",
            "cannot read '" + path + "': " + err.getMessage())))
        .map(content -> {
          all.addAll(ApiPollerOptions.parseEndpointsFile(content, path));
          return all;
        });
  }

  /**
   * Polls every endpoint of a data type now, outside the schedule.
   *
   * @param dataType e.g. {@code pools}
   * @return the number of records produced, once Kafka acknowledged them; empty when this instance has no such endpoint
   */
  public Future<Optional<Integer>> pollNow(String dataType) {
    List<Future<PollResult>> runs = new ArrayList<>();
    for (EndpointPoller<?> poller : pollers.values()) {
      if (poller.dataType().equals(dataType)) {
        runs.add(poller.poll(false));
      }
    }
    if (runs.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.all(runs).map(all -> Optional.of(runs.stream().mapToInt(f -> f.result().produced()).sum()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> unitsStopped = units == null ? Future.succeededFuture() : units.stop();
    return unitsStopped.compose(v -> close());
  }

  private Future<?> close() {
    List<Future<?>> closing = new ArrayList<>();
    triggers.forEach(t -> closing.add(t.unregister()));
    if (sink != null) {
      closing.add(sink.close(SINK_CLOSE_GRACE));
    }
    if (client != null) {
      closing.add(client.close());
    }
    return Future.join(closing);
  }
}
