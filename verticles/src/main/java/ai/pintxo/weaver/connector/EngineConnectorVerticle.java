package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.feed.DocumentFeeder;
import ai.pintxo.weaver.kafka.TopicProfile;
import ai.pintxo.weaver.feed.FeedMetrics;
import ai.pintxo.weaver.feed.VespaTransports;
import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.impl.kafka.TopicCreator;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.pipeline.Lag;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.impl.time.TimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the weaver's topics and writes each record to Vespa with the topic's
 * {@link DocumentProcessor}, at least once. This verticle wires the parts and owns the lifecycle:
 *
 * <ul>
 *   <li>{@link OffsetBook}: a partition's offset is committed only up to the first record not yet
 *       acknowledged by Vespa (or dead-lettered), {@link PartitionProgress}. Revoked partitions
 *       commit on the way out ({@link CommitOnRevokeConsumer}).</li>
 *   <li>{@link RecordHandler}: records that do not decode, that the processor refuses, that make the
 *       processor fail unexpectedly, or that Vespa rejects for good (4xx other than 429) go to
 *       {@code <topic>.dlq}; the partition flows on.</li>
 *   <li>{@link ConsumerBuffer}: when more than {@code maxBufferedBytes} of records are between Kafka
 *       and Vespa, the partitions holding them are paused (the consumer keeps polling, so it stays in
 *       its group, and the other partitions flow); they resume below half the bound.</li>
 * </ul>
 *
 * <p>Threading: all state is confined to the verticle's event loop.
 */
public final class EngineConnectorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);
  private static final Duration DEAD_LETTER_SETTLE = Duration.ofSeconds(5);

  private EngineConnectorOptions options;
  private final TimeSource time;
  private final List<Meter> gauges = new ArrayList<>();
  private ConsumerBuffer buffer;
  private OffsetBook offsets;
  private RecordHandler handler;
  private KafkaReadStream<byte[], byte[]> consumer;
  private KafkaWriteStream<byte[], byte[]> producer;
  private CommitOnRevokeConsumer nativeConsumer;
  private DocumentFeeder feeder;
  private PipelineBoard board;
  private UnitReporter reporter;
  private String condition;
  private String clientId;
  private long stateTimer = -1;
  private KafkaClientMetrics consumerMetrics;
  private ScheduledExecutorService consumerMetricsRefresh;
  private MeterRegistry registry;
  private long commitTimer = -1;
  private boolean stopping;

  /** Reads its options from the deployment's JSON config. */
  public EngineConnectorVerticle() {
    this(null, TimeSource.system());
  }

  /** @param options the options, used instead of the deployment's JSON config */
  public EngineConnectorVerticle(EngineConnectorOptions options) {
    this(options, TimeSource.system());
  }

  /** @param time the clocks of dead-letter timestamps and the shutdown deadline */
  EngineConnectorVerticle(EngineConnectorOptions options, TimeSource time) {
    this.options = options == null ? null : options.validate(); // Java-built options get the deployment file's errors, before anything starts
    this.time = time;
  }

  @Override
  public Future<?> start() {
    try {
      if (options == null) {
        options = new EngineConnectorOptions(config());
      }
      options.getKafka().validateForClients("kafka");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    registry = WeaverMetrics.registry(vertx);
    Map<String, TopicRoute<?>> routes = new HashMap<>();
    Set<String> topics = new LinkedHashSet<>();
    for (String topic : options.getTopics()) {
      DocumentProcessor<?> processor = options.processorFor(topic).orElseThrow();
      routes.put(topic, new TopicRoute<>(processor, registry, options.profileOf(topic) == TopicProfile.LATENCY));
      topics.add(topic);
      topics.add(processor.topic().deadLetterTopic());
    }
    // Kafka clients do I/O and heavy set-up in their constructors: build them on a worker.
    return TopicCreator.ensure(vertx, options.getKafka(), topics)
        .compose(v -> vertx.executeBlocking(() -> {
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-engine-connector-dlq");
          Map<String, Object> consumerConfig = CommitOnRevokeConsumer.config(options);
          clientId = String.valueOf(consumerConfig.get("client.id"));
          nativeConsumer = new CommitOnRevokeConsumer(consumerConfig);
          return null;
        }))
        .compose(v -> {
          String instance = context.deploymentID() + "-" + UUID.randomUUID().toString().substring(0, 8);
          feeder = new DocumentFeeder(vertx, VespaTransports.create(vertx, options.getVespa()), options.getVespa(),
              new FeedMetrics(registry, context.deploymentID() + "-" + UUID.randomUUID().toString().substring(0, 8)));
          // Per-partition records-lag and fetch rates. Micrometer binds the metrics a consumer creates after an
          // assignment at its next refresh: every 5 s, not its default minute, or the unit's lag reads 0 that long.
          consumerMetricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weaver-consumer-metrics");
            t.setDaemon(true);
            return t;
          });
          consumerMetrics = new KafkaClientMetrics(nativeConsumer, List.of(), consumerMetricsRefresh, Duration.ofSeconds(5));
          consumerMetrics.bindTo(registry);
          buffer = new ConsumerBuffer(options.getMaxBufferedBytes());
          gauges.addAll(buffer.gauges(registry, instance));
          offsets = new OffsetBook(nativeConsumer);
          handler = RecordHandler.create(vertx, registry, routes, producer, feeder, time, new Settlement());
          consumer = KafkaClients.readStream(vertx, nativeConsumer); // on the verticle's context: records arrive there
          buffer.bind(consumer);
          consumer.exceptionHandler(err -> LOG.atWarn().log("connector.consumer_error: {}", err.toString()));
          consumer.partitionsAssignedHandler(this::assigned);
          consumer.partitionsRevokedHandler(this::revoked);
          consumer.batchHandler(this::batch);
          commitTimer = vertx.setPeriodic(options.getCommitInterval().toMillis(), t -> offsets.commit(consumer));
          report(instance);
          LOG.atInfo().addKeyValue("group", options.getGroupId()).addKeyValue("topics", options.getTopics())
              .addKeyValue("vespa", options.getVespa().getEndpoint()).log("connector.started");
          return consumer.subscribe(new HashSet<>(options.getTopics()));
        });
  }

  private void assigned(Set<TopicPartition> partitions) {
    offsets.assigned(partitions);
    LOG.atInfo().addKeyValue("partitions", partitions).log("connector.partitions_assigned");
  }

  private void revoked(Set<TopicPartition> partitions) {
    if (!partitions.isEmpty() && !stopping) {
      Counter.builder("weaver.connector.rebalances")
          .description("Times partitions were taken from this connector by a rebalance").register(registry).increment();
    }
    offsets.revoked(partitions);
    partitions.forEach(buffer::forget);
    LOG.atInfo().addKeyValue("partitions", partitions).log("connector.partitions_revoked");
  }

  private void batch(ConsumerRecords<byte[], byte[]> records) {
    if (stopping) {
      return; // not registered, so never committed: read again after restart
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      PartitionProgress progress = offsets.track(record);
      buffer.add(record, progress);
      handler.handle(record, progress);
    }
    buffer.apply(offsets.partitions(), stopping);
  }

  /** @return partitions paused for back-pressure */
  Set<TopicPartition> pausedPartitions() {
    return buffer == null ? Set.of() : buffer.paused();
  }

  /** @return records between Kafka and Vespa: in flight, waiting or retrying */
  public int buffered() {
    return buffer == null ? 0 : buffer.buffered();
  }

  /** @return bytes of those records */
  public long bufferedBytes() {
    return buffer == null ? 0 : buffer.bufferedBytes();
  }

  /**
   * Stops taking records and sending requests, waits up to {@code shutdownTimeout} for the requests
   * already sent, commits what Vespa acknowledged, then closes. Records not acknowledged by then
   * are read again after a restart.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (commitTimer >= 0) {
      vertx.cancelTimer(commitTimer);
    }
    if (consumer == null) {
      return Future.succeededFuture();
    }
    handler.stopping();
    return feeder.drain()
        .timeout(options.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> handler.settled(DEAD_LETTER_SETTLE))
        .compose(v -> offsets.commitInProgress().transform(ar -> offsets.commit(consumer)))
        .transform(ar -> {
          if (ar.failed()) {
            LOG.atWarn().log("connector.final_commit_failed: {}", ar.cause().toString());
          }
          LOG.atInfo().addKeyValue("unacknowledged", buffer.buffered()).log("connector.stopping");
          List<Future<?>> closing = new ArrayList<>();
          consumerMetrics.close();
          consumerMetricsRefresh.shutdownNow(); // ours, so not shut down by the binder
          gauges.forEach(registry::remove);
          vertx.cancelTimer(stateTimer);
          board.removeCondition(condition);
          reporter.close();
          closing.add(feeder.close());
          closing.add(consumer.close());
          closing.add(producer.flush().eventually(() -> producer.close()));
          return Future.join(closing).mapEmpty();
        });
  }

  /**
   * Shows the feeder on the pipeline board as the connector's unit: running, or backing off with the
   * circuit's endpoint and cause; a feeder that cannot deliver makes the process not ready. The lag
   * is the consumer's, summed over its partitions.
   */
  private void report(String instance) {
    board = PipelineBoard.of(vertx);
    String pipeline = options.getCluster().pipeline(EngineConnectorProvider.TYPE);
    String unit = "feed-" + instance.substring(instance.length() - 8);
    board.declare(pipeline, EngineConnectorProvider.TYPE, List.of(unit));
    reporter = board.register(pipeline, unit, options.getCluster().member());
    reporter.running();
    condition = pipeline + "/" + unit;
    board.condition(condition, feeder::problem);
    // Records Vespa has not acknowledged yet: those still in Kafka past the consumer's fetch position,
    // and those fetched and waiting in the buffer or in flight (the consumer may have fetched them all).
    reporter.lag("consumer-lag", () -> Lag.of("consumer-lag", buffer.buffered() + registry.find("kafka.consumer.fetch.manager.records.lag")
        .gauges().stream()
        .filter(g -> consumerMetricsOwn(g.getId().getTag("client.id")))
        .mapToDouble(g -> Double.isNaN(g.value()) ? 0 : g.value()).sum()));
    stateTimer = vertx.setPeriodic(1000, t -> {
      String problem = feeder.problem();
      if (problem == null) {
        reporter.running();
        reporter.detail(null);
      } else if (reporter.state() != UnitState.BACKING_OFF || !problem.equals(reporter.status().detail())) {
        reporter.backingOff(null, problem);
        reporter.detail(problem);
      }
    });
  }

  private boolean consumerMetricsOwn(String clientId) {
    return clientId != null && clientId.equals(this.clientId);
  }

  /** A record's end: out of the buffer, and, when done, into its partition's watermark. */
  private final class Settlement implements RecordHandler.Settlement {

    @Override
    public void done(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
      reporter.event(); // the last time a record was settled: Vespa acknowledged it (or it was dead-lettered)
      buffer.release(record, progress);
      offsets.done(record, progress);
      buffer.apply(offsets.partitions(), stopping);
    }

    @Override
    public void released(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
      buffer.release(record, progress);
    }
  }
}
