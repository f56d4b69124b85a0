package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
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
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls REST endpoints and produces their records to Kafka ({@code <dataType>-api-topic}), keyed
 * by Vespa document id, only when a record changed since it was last produced (see
 * {@link ProducedState}). With several instances, each instance polls its share of the endpoints
 * (endpoint i goes to instance i mod n), like a Kafka Connect connector split into tasks.
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
  private final List<EndpointPoller<?>> pollers = new ArrayList<>();
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
        .compose(all -> mySlice(all))
        .compose(mine -> {
          Set<String> topics = new LinkedHashSet<>();
          for (EndpointOptions endpoint : mine) {
            Topic<?> topic = handler(endpoint).topic();
            recordTopics.add(topic.name());
            topics.add(topic.name());
            topics.add(topic.deadLetterTopic());
          }
          Future<Void> state = options.isChangeOnly() && !mine.isEmpty()
              ? TopicCreator.ensureCompacted(vertx, options.getKafka(), options.getStateTopic())
              : Future.succeededFuture();
          return state.compose(v -> TopicCreator.ensure(vertx, options.getKafka(), topics)).map(mine);
        })
        .compose(mine -> vertx.executeBlocking(() -> {
          // The Kafka producer does I/O and heavy set-up in its constructor: build it on a worker.
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-api-poller");
          return mine;
        }))
        .compose(mine -> (options.isChangeOnly() && !mine.isEmpty()
            ? ProducedState.load(vertx, options.getKafka(), options.getStateTopic(), recordTopics)
            : Future.succeededFuture(ProducedState.disabled()))
            .map(state -> {
              MeterRegistry registry = WeaverMetrics.registry(vertx);
              client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true),
                  new PoolOptions().setHttp1MaxSize(4));
              DeadLetterWriter deadLetters = new DeadLetterWriter(producer, registry);
              for (EndpointOptions endpoint : mine) {
                pollers.add(poller(endpoint, deadLetters, state, registry));
              }
              return mine;
            }))
        .compose(mine -> registerTriggers())
        .onSuccess(v -> pollers.forEach(EndpointPoller::start));
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
    pollers.forEach(p -> dataTypes.add(p.dataType()));
    List<Future<Void>> registered = new ArrayList<>();
    for (String dataType : dataTypes) {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(TRIGGER_ADDRESS + dataType, message -> {
        boolean force = message.body() != null && Boolean.TRUE.equals(message.body().getBoolean("force"));
        int triggered = 0;
        for (EndpointPoller<?> poller : pollers) {
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

  /** Claims this instance's index among the deployment's instances and keeps its share of the endpoints. */
  private Future<List<EndpointOptions>> mySlice(List<EndpointOptions> all) {
    int instances = Math.max(1, context.getInstanceCount());
    if (instances == 1) {
      return Future.succeededFuture(all);
    }
    return vertx.sharedData().getLocalCounter("weaver.api-poller." + context.deploymentID())
        .compose(counter -> counter.getAndIncrement())
        .map(index -> {
          List<EndpointOptions> mine = new ArrayList<>();
          for (int i = 0; i < all.size(); i++) {
            if (i % instances == index) {
              mine.add(all.get(i));
            }
          }
          LOG.atInfo().addKeyValue("instance", index).addKeyValue("of", instances).addKeyValue("endpoints", mine.size())
              .log("poller.instance_started");
          return mine;
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
    for (EndpointPoller<?> poller : pollers) {
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
    pollers.forEach(EndpointPoller::stop);
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
