package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.feed.DocumentFeeder;
import ai.pintxo.weaver.feed.FeedMetrics;
import ai.pintxo.weaver.feed.FeedOutcome;
import ai.pintxo.weaver.feed.HttpVespaTransport;
import ai.pintxo.weaver.feed.VespaTransport;
import ai.pintxo.weaver.kafka.DeadLetterWriter;
import ai.pintxo.weaver.kafka.KafkaClients;
import ai.pintxo.weaver.kafka.TopicCreator;
import ai.pintxo.weaver.metrics.WeaverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the weaver's topics and writes each record to Vespa with the topic's
 * {@link DocumentProcessor}, at least once.
 *
 * <ul>
 *   <li>A partition's offset is committed only up to the first record not yet acknowledged by
 *       Vespa (or dead-lettered): {@link PartitionProgress}. Revoked partitions commit on the way out.</li>
 *   <li>Records that do not decode, that the processor refuses, or that Vespa rejects for good
 *       (4xx other than 429) go to {@code <topic>.dlq}; the partition flows on.</li>
 *   <li>When more than {@code maxBufferedBytes} of records are between Kafka and Vespa, the
 *       partitions holding them are paused (the consumer keeps polling, so it stays in its group,
 *       and the other partitions flow); they resume below half the bound.</li>
 * </ul>
 *
 * <p>Threading: all state is confined to the verticle's event loop.
 */
public final class EngineConnectorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);
  private static final long DEAD_LETTER_RETRY_MILLIS = 1000;

  private EngineConnectorOptions options;
  private final Map<String, TopicRoute<?>> routes = new HashMap<>();
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private CommitOnRevokeConsumer nativeConsumer;
  private KafkaReadStream<byte[], byte[]> consumer;
  private KafkaWriteStream<byte[], byte[]> producer;
  private DeadLetterWriter deadLetters;
  private DocumentFeeder feeder;
  private long commitTimer = -1;
  private int buffered;
  private long bufferedBytes;
  private int deadLettersInFlight;
  private final Set<TopicPartition> paused = new HashSet<>();
  private KafkaClientMetrics consumerMetrics;
  private final List<io.micrometer.core.instrument.Meter> gauges = new ArrayList<>();
  private MeterRegistry registry;
  private boolean stopping;
  private Future<Void> commitInProgress = Future.succeededFuture();

  /** Reads its options from the deployment's JSON config. */
  public EngineConnectorVerticle() {
  }

  /** @param options the options, used instead of the deployment's JSON config */
  public EngineConnectorVerticle(EngineConnectorOptions options) {
    this.options = options;
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
    MeterRegistry registry = WeaverMetrics.registry(vertx);
    Set<String> topics = new LinkedHashSet<>();
    for (String topic : options.getTopics()) {
      DocumentProcessor<?> processor = options.processorFor(topic).orElseThrow();
      routes.put(topic, new TopicRoute<>(processor, registry));
      topics.add(topic);
      topics.add(processor.topic().deadLetterTopic());
    }
    // Kafka clients do I/O and heavy set-up in their constructors: build them on a worker.
    return TopicCreator.ensure(vertx, options.getKafka(), topics)
        .compose(v -> vertx.executeBlocking(() -> {
          producer = KafkaClients.producer(vertx, options.getKafka(), "weaver-engine-connector-dlq");
          nativeConsumer = new CommitOnRevokeConsumer(consumerConfig());
          return null;
        }))
        .compose(v -> {
          deadLetters = new DeadLetterWriter(producer, registry);
          for (String topic : options.getTopics()) {
            for (String stage : new String[] {"decode", "process", "feed"}) {
              deadLetters.counter(topic, stage);
            }
          }
          VespaTransport transport = new HttpVespaTransport(vertx, options.getVespa());
          feeder = new DocumentFeeder(vertx, transport, options.getVespa(),
              new FeedMetrics(registry, context.deploymentID() + "-" + UUID.randomUUID().toString().substring(0, 8)));
          consumerMetrics = new KafkaClientMetrics(nativeConsumer); // per-partition records-lag, fetch rates
          consumerMetrics.bindTo(registry);
          String instance = context.deploymentID() + "-" + UUID.randomUUID().toString().substring(0, 8);
          gauges.add(io.micrometer.core.instrument.Gauge.builder("weaver.connector.buffered.records", () -> buffered)
              .description("Records between Kafka and Vespa").tag("instance", instance).register(registry));
          gauges.add(io.micrometer.core.instrument.Gauge.builder("weaver.connector.buffered.bytes", () -> bufferedBytes)
              .description("Bytes of records between Kafka and Vespa").tag("instance", instance).register(registry));
          gauges.add(io.micrometer.core.instrument.Gauge.builder("weaver.connector.paused.partitions", paused::size)
              .description("Partitions paused for back-pressure").tag("instance", instance).register(registry));
          this.registry = registry;
          consumer = KafkaReadStream.create(vertx, nativeConsumer); // on the verticle's context: records arrive there
          consumer.exceptionHandler(err -> LOG.atWarn().log("connector.consumer_error: {}", err.toString()));
          consumer.partitionsAssignedHandler(this::assigned);
          consumer.partitionsRevokedHandler(this::revoked);
          consumer.batchHandler(this::batch);
          commitTimer = vertx.setPeriodic(options.getCommitInterval().toMillis(), t -> commit());
          LOG.atInfo().addKeyValue("group", options.getGroupId()).addKeyValue("topics", options.getTopics())
              .addKeyValue("vespa", options.getVespa().getEndpoint()).log("connector.started");
          return consumer.subscribe(new HashSet<>(options.getTopics()));
        });
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(options.getKafka().clientConfig());
    config.put("group.id", options.getGroupId());
    config.put("enable.auto.commit", "false");
    config.putIfAbsent("auto.offset.reset", "earliest");
    config.putIfAbsent("isolation.level", "read_committed");
    config.putIfAbsent("max.poll.records", Integer.toString(options.getMaxPollRecords()));
    // A killed instance's partitions move on after 10 s instead of Kafka's default 45 s.
    config.putIfAbsent("session.timeout.ms", "10000");
    config.putIfAbsent("client.id", "weaver-engine-connector-" + UUID.randomUUID().toString().substring(0, 8));
    return config;
  }

  private void assigned(Set<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      progress.put(partition, new PartitionProgress());
    }
    LOG.atInfo().addKeyValue("partitions", partitions).log("connector.partitions_assigned");
  }

  private void revoked(Set<TopicPartition> partitions) {
    if (registry != null && !partitions.isEmpty() && !stopping) {
      io.micrometer.core.instrument.Counter.builder("weaver.connector.rebalances")
          .description("Times partitions were taken from this connector by a rebalance").register(registry).increment();
    }
    for (TopicPartition partition : partitions) {
      PartitionProgress gone = progress.remove(partition);
      if (gone != null) {
        gone.revoke();
      }
      committed.remove(partition);
      paused.remove(partition); // Kafka forgets the pause of a revoked partition
    }
    LOG.atInfo().addKeyValue("partitions", partitions).log("connector.partitions_revoked");
  }

  private void batch(ConsumerRecords<byte[], byte[]> records) {
    if (stopping) {
      return; // not registered, so never committed: read again after restart
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
      try {
        partitionProgress.started(record.offset());
      } catch (IllegalArgumentException rewound) {
        // The position went back (a re-assignment reading from the committed offset): start over.
        partitionProgress.revoke();
        partitionProgress = new PartitionProgress();
        progress.put(partition, partitionProgress);
        partitionProgress.started(record.offset());
      }
      buffered++;
      long size = size(record);
      bufferedBytes += size;
      partitionProgress.buffered(size);
      handle(record, partition, partitionProgress);
    }
    applyBackpressure();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, PartitionProgress partitionProgress) {
    TopicRoute<?> route = routes.get(record.topic());
    if (route == null) {
      deadLetter(record, partitionProgress, "process", "no processor for topic '" + record.topic() + "'", 0);
      return;
    }
    DocumentOperation operation;
    try {
      operation = route.operation(record);
    } catch (PayloadDecodeException e) {
      deadLetter(record, partitionProgress, "decode", e.getMessage(), 0);
      return;
    } catch (IllegalArgumentException e) {
      deadLetter(record, partitionProgress, "process", "cannot make a document of " + origin(record) + ": " + e.getMessage(), 0);
      return;
    }
    feeder.feed(operation).onComplete(ar -> {
      if (ar.failed()) {
        release(record, partitionProgress); // feeder closed while stopping: left uncommitted, fed again after restart
        return;
      }
      FeedOutcome outcome = ar.result();
      if (outcome.success()) {
        route.fed.increment();
        done(record, partitionProgress);
      } else {
        route.rejected.increment();
        deadLetter(record, partitionProgress, "feed", "Vespa answered " + outcome.status() + " for " + operation.id()
            + ": " + outcome.message(), outcome.status());
      }
    });
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, PartitionProgress partitionProgress, String stage, String error, int status) {
    DeadLetter letter = new DeadLetter(stage, error, status, origin(record), Instant.now());
    deadLettersInFlight++;
    writeDeadLetter(record, letter)
        .onComplete(ar -> deadLettersInFlight--)
        .onSuccess(v -> done(record, partitionProgress))
        .onFailure(err -> release(record, partitionProgress));
  }

  /** Retries a failed dead-letter write until it lands or the verticle stops: the record may not be committed before. */
  private Future<Void> writeDeadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetter letter) {
    return deadLetters.write(record.topic(), record.key(), record.value(), letter).recover(err -> {
      if (stopping) {
        return Future.failedFuture(err);
      }
      LOG.atError().addKeyValue("origin", letter.origin()).log("connector.dead_letter_write_failed: {}; retrying", err.toString());
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(DEAD_LETTER_RETRY_MILLIS, t -> writeDeadLetter(record, letter).onComplete(retry));
      return retry.future();
    });
  }

  /** The record leaves the buffer without being done (the connector is stopping). */
  private void release(ConsumerRecord<byte[], byte[]> record, PartitionProgress partitionProgress) {
    long size = size(record);
    buffered--;
    bufferedBytes -= size;
    partitionProgress.buffered(-size);
  }

  private static long size(ConsumerRecord<byte[], byte[]> record) {
    return 64L + (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
  }

  private void done(ConsumerRecord<byte[], byte[]> record, PartitionProgress partitionProgress) {
    release(record, partitionProgress);
    partitionProgress.completed(record.offset());
    if (!partitionProgress.isRevoked() && partitionProgress.committable() >= 0) {
      nativeConsumer.acknowledged(new TopicPartition(record.topic(), record.partition()), partitionProgress.committable());
    }
    applyBackpressure();
  }

  /**
   * Over the byte bound, pauses the partitions that hold buffered records (others keep flowing
   * until they hold some too); below half the bound, resumes them. The consumer keeps polling. The
   * bound is soft by what is already fetched: the poll in flight when a pause is asked for still
   * delivers, so up to two polls ({@code maxPollRecords} each) may arrive above it.
   */
  private void applyBackpressure() {
    if (bufferedBytes >= options.getMaxBufferedBytes()) {
      Set<TopicPartition> toPause = new HashSet<>();
      progress.forEach((partition, p) -> {
        if (p.bufferedBytes() > 0 && !paused.contains(partition)) {
          toPause.add(partition);
        }
      });
      if (!toPause.isEmpty()) {
        paused.addAll(toPause);
        consumer.pause(toPause);
        LOG.atDebug().addKeyValue("bufferedBytes", bufferedBytes).addKeyValue("partitions", toPause).log("connector.paused");
      }
    } else if (!paused.isEmpty() && bufferedBytes <= options.getMaxBufferedBytes() / 2 && !stopping) {
      Set<TopicPartition> toResume = new HashSet<>(paused);
      toResume.retainAll(progress.keySet());
      paused.clear();
      if (!toResume.isEmpty()) {
        consumer.resume(toResume);
      }
      LOG.atDebug().addKeyValue("bufferedBytes", bufferedBytes).log("connector.resumed");
    }
  }

  /** @return partitions paused for back-pressure */
  Set<TopicPartition> pausedPartitions() {
    return Set.copyOf(paused);
  }

  /** Commits each partition's acknowledged watermark that moved since the last commit. */
  private Future<Void> commit() {
    if (!commitInProgress.isComplete()) {
      return commitInProgress;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    progress.forEach((partition, p) -> {
      long next = p.committable();
      if (next >= 0 && next > committed.getOrDefault(partition, -1L)) {
        offsets.put(partition, new OffsetAndMetadata(next));
      }
    });
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    commitInProgress = consumer.commit(offsets)
        .onSuccess(done -> offsets.forEach((partition, offset) -> committed.put(partition, offset.offset())))
        .onFailure(err -> LOG.atWarn().log("connector.commit_failed: {}; retrying at the next interval", err.toString()))
        .mapEmpty();
    return commitInProgress;
  }

  /** @return records between Kafka and Vespa: in flight, waiting or retrying */
  public int buffered() {
    return buffered;
  }

  /** @return bytes of those records */
  public long bufferedBytes() {
    return bufferedBytes;
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
    return feeder.drain()
        .timeout(options.getShutdownTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .transform(ar -> deadLettersSettled(System.nanoTime() + 5_000_000_000L))
        .compose(v -> commitInProgress.transform(ar -> commit()))
        .transform(ar -> {
          if (ar.failed()) {
            LOG.atWarn().log("connector.final_commit_failed: {}", ar.cause().toString());
          }
          LOG.atInfo().addKeyValue("unacknowledged", buffered).log("connector.stopping");
          List<Future<?>> closing = new ArrayList<>();
          consumerMetrics.close();
          gauges.forEach(registry::remove);
          closing.add(feeder.close());
          closing.add(consumer.close());
          closing.add(producer.flush().eventually(() -> producer.close()));
          return Future.join(closing).mapEmpty();
        });
  }

  /** Lets dead-letter writes already started finish, so their records can be committed. */
  private Future<Void> deadLettersSettled(long deadlineNanos) {
    if (deadLettersInFlight == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setPeriodic(20, id -> {
      if (deadLettersInFlight == 0 || System.nanoTime() > deadlineNanos) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      }
    });
    return promise.future();
  }

  private static RecordOrigin origin(ConsumerRecord<byte[], byte[]> record) {
    return new RecordOrigin(record.topic(), record.partition(), record.offset());
  }
}
