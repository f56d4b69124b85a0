package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine connectors' lag by topic, for the status page: records on each topic that the
 * connector's consumer group has not committed yet (it commits only what Vespa acknowledged), summed
 * over partitions, from the broker's end offsets and the group's committed offsets. The Kafka
 * client's own per-partition {@code records-lag} is not in the registry, so the broker is asked.
 * Reading blocks, so it runs on a worker, one read at a time, at most every {@link #PERIOD}; between
 * reads the last result is served. One admin client is kept for the process's life (made at the first
 * read, closed by {@link #close()}): a client per read would open connections and fetch metadata anew
 * every two seconds while someone watches the page.
 */
final class ConsumerLag {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
  private static final Duration PERIOD = Duration.ofSeconds(2);
  private static final long TIMEOUT_SECONDS = 5;

  private final Vertx vertx;
  private final KafkaOptions kafka;
  private final Supplier<Map<String, List<String>>> groups;
  private final LongSupplier clock;
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile Map<String, Long> latest = Map.of();
  private volatile long readAt = Long.MIN_VALUE;
  private Admin admin; // only touched by the read in progress and by close, both on a worker
  private volatile boolean closed;

  /**
   * @param groups the connectors' consumer groups, each with its topics
   * @param clock  nanoseconds, as {@link System#nanoTime()}
   */
  ConsumerLag(Vertx vertx, KafkaOptions kafka, Supplier<Map<String, List<String>>> groups, LongSupplier clock) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.groups = groups;
    this.clock = clock;
  }

  /** @return topic → lag from the last read (a topic missing is unknown); starts a new read when one is due */
  Map<String, Long> latest() {
    long now = clock.getAsLong();
    if (!closed && (readAt == Long.MIN_VALUE || now - readAt >= PERIOD.toNanos()) && reading.compareAndSet(false, true)) {
      Map<String, List<String>> wanted = groups.get();
      vertx.executeBlocking(() -> read(wanted), false).onComplete(ar -> {
        if (ar.succeeded()) {
          latest = ar.result();
        } else {
          LOG.atWarn().addKeyValue("error", String.valueOf(ar.cause().getMessage())).log("status.lag_unread");
        }
        readAt = clock.getAsLong();
        reading.set(false);
      });
    }
    return latest;
  }

  private Map<String, Long> read(Map<String, List<String>> wanted) throws Exception {
    Map<String, Long> lag = new TreeMap<>();
    if (wanted.isEmpty()) {
      return lag;
    }
    Admin admin = admin();
    for (Map.Entry<String, List<String>> group : wanted.entrySet()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getKey())
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
      for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(group.getValue()).topicNameValues().entrySet()) {
        TopicDescription description;
        try {
          description = topic.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          continue; // not created yet: nothing to lag behind
        }
        description.partitions().forEach(p -> {
          latestSpec.put(new TopicPartition(topic.getKey(), p.partition()), OffsetSpec.latest());
          earliestSpec.put(new TopicPartition(topic.getKey(), p.partition()), OffsetSpec.earliest());
        });
      }
      Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latestSpec).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> start = admin.listOffsets(earliestSpec).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      end.forEach((tp, info) -> {
        OffsetAndMetadata done = committed.get(tp);
        // A partition the group never committed lags by everything still on it.
        long from = done != null ? done.offset() : start.get(tp).offset();
        lag.merge(tp.topic(), Math.max(0, info.offset() - from), Long::sum);
      });
    }
    return lag;
  }

  private synchronized Admin admin() {
    if (closed) {
      throw new IllegalStateException("the status page is closed");
    }
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put("client.id", "weaver-status-lag-" + ProcessHandle.current().pid());
      admin = Admin.create(config);
    }
    return admin;
  }

  /** Closes the admin client, if one was made; no read starts after. */
  Future<Void> close() {
    closed = true;
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (admin != null) {
          admin.close(Duration.ofSeconds(TIMEOUT_SECONDS));
          admin = null;
        }
      }
      return null;
    }, false);
  }
}
