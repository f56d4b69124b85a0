package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.kafka.DeadLetterWriter;
import ai.pintxo.weaver.kafka.KafkaClients;
import ai.pintxo.weaver.kafka.TopicCreator;
import ai.pintxo.weaver.metrics.WeaverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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
 * by Vespa document id. With several instances, each instance polls its share of the endpoints
 * (endpoint i goes to instance i mod n), like a Kafka Connect connector split into tasks.
 *
 * <p>Deploy with an {@link ApiPollerOptions} object, or with a JSON config of the same shape.
 */
public final class ApiPollerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiPollerVerticle.class);

  private ApiPollerOptions options;
  private final List<EndpointPoller<?>> pollers = new ArrayList<>();
  private KafkaWriteStream<byte[], byte[]> producer;
  private WebClient client;

  /** Reads its options from the deployment's JSON config. */
  public ApiPollerVerticle() {
  }

  /** @param options the options, used instead of the deployment's JSON config */
  public ApiPollerVerticle(ApiPollerOptions options) {
    this.options = options;
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
    return endpoints()
        .compose(all -> mySlice(all))
        .compose(mine -> {
          Set<String> topics = new LinkedHashSet<>();
          for (EndpointOptions endpoint : mine) {
            Topic<?> topic = handler(endpoint).topic();
            topics.add(topic.name());
            topics.add(topic.deadLetterTopic());
          }
          return TopicCreator.ensure(vertx, options.getKafka(), topics).map(mine);
        })
        .compose(mine -> vertx.executeBlocking(() -> {
          // The Kafka producer does I/O and heavy set-up in its constructor: build it on a worker.
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-api-poller");
          return mine;
        }))
        .compose(mine -> {
          MeterRegistry registry = WeaverMetrics.registry(vertx);
          client = WebClient.create(vertx, new WebClientOptions().setUserAgent(options.getUserAgent())
              .setDecompressionSupported(true).setFollowRedirects(true));
          DeadLetterWriter deadLetters = new DeadLetterWriter(producer, registry);
          for (EndpointOptions endpoint : mine) {
            pollers.add(poller(endpoint, deadLetters, registry));
          }
          pollers.forEach(EndpointPoller::start);
          return Future.succeededFuture();
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private EndpointPoller<?> poller(EndpointOptions endpoint, DeadLetterWriter deadLetters, MeterRegistry registry) {
    ApiHandler<? extends Keyed> handler = handler(endpoint);
    return new EndpointPoller(vertx, client, endpoint, handler, producer, deadLetters, options, registry);
  }

  private static ApiHandler<?> handler(EndpointOptions endpoint) {
    return ApiHandlers.installed().forDataType(endpoint.getDataType()).orElseThrow();
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
    List<Future<EndpointPoller.PollResult>> runs = new ArrayList<>();
    for (EndpointPoller<?> poller : pollers) {
      if (poller.dataType().equals(dataType)) {
        runs.add(poller.poll());
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
    if (producer != null) {
      closing.add(producer.flush().eventually(() -> producer.close()));
    }
    if (client != null) {
      client.close();
    }
    return Future.join(closing);
  }
}
