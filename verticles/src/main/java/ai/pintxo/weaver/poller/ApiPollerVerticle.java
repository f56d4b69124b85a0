package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.cluster.UnitWorker;
import ai.pintxo.weaver.cluster.Units;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
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
import io.vertx.kafka.client.producer.KafkaWriteStream;
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

  private ApiPollerOptions options;
  /** The pollers of the units (endpoints) this instance owns now. */
  private final Map<String, EndpointPoller<?>> pollers = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, EndpointOptions> byUnit = new java.util.TreeMap<>();
  private Units units;
  private ProducedState state;
  private DeadLetterWriter deadLetters;
  private MeterRegistry registry;
  private final List<MessageConsumer<JsonObject>> triggers = new ArrayList<>();
  private KafkaWriteStream<byte[], byte[]> producer;
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
        .compose(all -> vertx.executeBlocking(() -> {
          // The Kafka producer does I/O and heavy set-up in its constructor: build it on a worker.
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-api-poller");
          return all;
        }))
        .compose(all -> (options.isChangeOnly() && !all.isEmpty()
            ? ProducedState.load(vertx, options.getKafka(), options.getStateTopic(), recordTopics)
            : Future.succeededFuture(ProducedState.disabled()))
            .map(loaded -> {
              state = loaded;
              registry = WeaverMetrics.registry(vertx);
              client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true),
                  new PoolOptions().setHttp1MaxSize(4));
              deadLetters = new DeadLetterWriter(producer, registry);
              for (EndpointOptions endpoint : all) {
                String unit = unitId(endpoint, byUnit.keySet());
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
              poller.start();
              return Future.succeededFuture();
            }

            @Override
            public Future<Void> stopUnit(String unit) {
              EndpointPoller<?> poller = pollers.remove(unit);
              return poller == null ? Future.succeededFuture() : poller.stop();
            }
          });
          return units.start();
        });
  }

  /** @return the unit id of an endpoint: its data type and URL without secrets, numbered when the same pair repeats */
  static String unitId(EndpointOptions endpoint, Set<String> taken) {
    String base = endpoint.getDataType() + " " + ai.pintxo.weaver.config.Redact.url(endpoint.getEndpoint());
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
    return new EndpointPoller(vertx, client, endpoint, handler, producer, deadLetters, options, state, registry);
  }

  private static ApiHandler<?> handler(EndpointOptions endpoint) {
    return ApiHandlers.installed().forDataType(endpoint.getDataType()).orElseThrow();
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
    if (producer != null) {
      closing.add(producer.flush().eventually(() -> producer.close()));
    }
    if (client != null) {
      closing.add(client.close());
    }
    return Future.join(closing);
  }
}
