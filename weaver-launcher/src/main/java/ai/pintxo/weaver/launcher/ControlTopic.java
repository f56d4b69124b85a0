package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' pause and resume, shared by every weaver process of a group and kept across
 * restarts: the compacted topic {@code <group>.control}, keyed by pipeline, holds each pipeline's
 * last {@link PipelineState}. Every process reads it from the beginning without a consumer group
 * (each one needs every record) and applies it to its {@link PipelineBoard}; it is read to its end
 * before the verticles deploy, so a paused pipeline starts paused.
 *
 * <p>The reader is a thread of its own (a Kafka consumer blocks in poll); writes go through a
 * worker, never an event loop.
 */
final class ControlTopic implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlTopic.class);
  /** The longest the broker holds a fetch with nothing new: a pause written elsewhere applies here within about this. */
  private static final int FETCH_WAIT_MS = 100;
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaOptions kafka;
  private final String topic;
  private final PipelineBoard board;
  private final Map<String, PipelineState> states = new ConcurrentHashMap<>();
  /** The next offset to read, by partition: everything before it is applied. */
  private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private Thread reader;
  private volatile boolean closed;

  private record Waiter(TopicPartition partition, long offset, CompletableFuture<Void> done) {
  }

  ControlTopic(KafkaOptions kafka, String group, PipelineBoard board) {
    this.kafka = kafka;
    this.topic = name(group);
    this.board = board;
  }

  /** @return the control topic of a group */
  static String name(String group) {
    return group + ".control";
  }

  String topic() {
    return topic;
  }

  /**
   * Creates the topic when missing, reads it to its end and applies it, then follows it. Blocks the
   * caller (the launcher's main thread).
   *
   * @throws IllegalStateException naming the topic when it cannot be created or read in time
   */
  void start(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ensureTopic(timeout);
    consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    while (!caughtUp(end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("control topic " + topic + " not read to its end within " + timeout.toSeconds() + " s");
      }
      pollOnce();
    }
    producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    LOG.atInfo().addKeyValue("topic", topic).addKeyValue("pipelines", states.size())
        .addKeyValue("paused", states.values().stream().filter(PipelineState::paused).map(PipelineState::pipeline).sorted().toList())
        .log("control.read");
    reader = new Thread(this::follow, "weaver-control-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Blocking, for the command line: reads the group's control topic to its end once.
   *
   * @return the pipeline's last state, if one was written (none when the topic does not exist)
   */
  static java.util.Optional<PipelineState> readState(KafkaOptions kafka, String group, String pipeline, Duration timeout) {
    String topic = name(group);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("enable.auto.commit", "false");
    config.remove("group.id");
    byte[] key = pipeline.getBytes(StandardCharsets.UTF_8);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      byte[] last = null;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("control topic " + topic + " not read to its end within " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && java.util.Arrays.equals(r.key(), key)) {
            last = r.value();
          }
        }
      }
      return last == null ? java.util.Optional.empty() : java.util.Optional.of(PipelineState.decode(last));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("control topic " + topic + ": unreadable state of pipeline " + pipeline + ": " + e.getMessage(), e);
    }
  }

  /** @return the last state written for a pipeline, or null */
  PipelineState state(String pipeline) {
    return states.get(pipeline);
  }

  /**
   * Writes a pipeline's state for every process of the group.
   *
   * @return completes on the caller's context once the state was read back and applied in this process
   */
  Future<PipelineState> publish(Vertx vertx, PipelineState state) {
    Context context = vertx.getOrCreateContext();
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, state.pipeline().getBytes(StandardCharsets.UTF_8), state.encode());
    return vertx.executeBlocking(() -> producer.send(record).get(30, TimeUnit.SECONDS))
        .compose(meta -> Future.fromCompletionStage(appliedUpTo(meta), context)
            .timeout(APPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .map(v -> state));
  }

  private CompletableFuture<Void> appliedUpTo(RecordMetadata meta) {
    Waiter waiter = new Waiter(new TopicPartition(meta.topic(), meta.partition()), meta.offset(), new CompletableFuture<>());
    waiters.add(waiter);
    completeWaiters(); // the reader may have gone past it already
    return waiter.done();
  }

  private void completeWaiters() {
    for (Waiter w : waiters) {
      if (applied.getOrDefault(w.partition(), 0L) > w.offset()) {
        waiters.remove(w);
        w.done().complete(null);
      }
    }
  }

  private boolean caughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void follow() {
    try {
      while (!closed) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          // close() woke it up
        } catch (RuntimeException e) {
          LOG.atWarn().addKeyValue("topic", topic).addKeyValue("error", e.toString()).log("control.read_failed");
          sleepQuietly(1000); // Kafka away: the client reconnects; do not spin
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void pollOnce() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
      apply(record);
    }
    for (TopicPartition p : consumer.assignment()) {
      applied.put(p, consumer.position(p));
    }
    completeWaiters();
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String pipeline = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      // A tombstone (an operator cleaning the topic up) forgets the pipeline's state: it runs.
      states.remove(pipeline);
      board.resume(pipeline);
      return;
    }
    PipelineState state;
    try {
      state = PipelineState.decode(record.value());
    } catch (java.io.IOException | RuntimeException e) {
      LOG.atWarn().addKeyValue("topic", topic).addKeyValue("offset", record.offset()).addKeyValue("pipeline", pipeline)
          .addKeyValue("error", e.getMessage()).log("control.unreadable_record");
      return;
    }
    states.put(pipeline, state);
    if (state.paused()) {
      board.pause(pipeline, state.shownReason());
    } else {
      board.resume(pipeline);
    }
    LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("paused", state.paused()).addKeyValue("by", state.by())
        .addKeyValue("at", state.at()).log("control.applied");
  }

  private void ensureTopic(Duration timeout) {
    try (Admin admin = Admin.create(new HashMap<>(kafka.clientConfig()))) {
      Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (names.contains(topic)) {
        return;
      }
      if (!kafka.isCreateTopics()) {
        throw new IllegalStateException("control topic " + topic + " does not exist and kafka.createTopics is false: create it"
            + " (1 partition, cleanup.policy=compact)");
      }
      // One partition: the records are few, and one order for all of them keeps reading simple.
      admin.createTopics(List.of(new NewTopic(topic, 1, kafka.getReplicationFactor()).configs(Map.of("cleanup.policy", "compact"))))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.atInfo().addKeyValue("topic", topic).log("control.topic_created");
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("control topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("control topic " + topic + ": Kafka did not answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating control topic " + topic, e);
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("fetch.max.wait.ms", Integer.toString(FETCH_WAIT_MS));
    config.put("client.id", "weaver-control-reader-" + ProcessHandle.current().pid());
    config.remove("group.id");
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("client.id", "weaver-control-writer-" + ProcessHandle.current().pid());
    return config;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops following the topic (the reader closes its consumer) and closes the writer. */
  @Override
  public void close() {
    closed = true;
    if (reader != null) {
      consumer.wakeup();
      try {
        reader.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    waiters.forEach(w -> w.done().completeExceptionally(new IllegalStateException("control topic closed")));
  }
}
