package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.kafka.TopicProfile;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer that commits the acknowledged offsets of partitions being revoked before it
 * gives them up. The Vert.x consumer only tells its handlers about a rebalance after the fact, too
 * late to commit; this listener runs inside {@code poll}, on the consumer thread, where a
 * synchronous commit is allowed, so the next owner starts where this one really stopped.
 */
final class CommitOnRevokeConsumer extends KafkaConsumer<byte[], byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(CommitOnRevokeConsumer.class);

  /** Written on the event loop whenever a watermark advances, read here on the consumer thread. */
  private final Map<TopicPartition, Long> acknowledged = new ConcurrentHashMap<>();
  /** The highest offset this consumer committed per owned partition; consumer thread only. */
  private final Map<TopicPartition, Long> committedHere = new HashMap<>();

  CommitOnRevokeConsumer(Map<String, Object> config) {
    super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** @return the consumer's configuration: manual commits, read committed, the group and bounds of the options */
  static Map<String, Object> config(EngineConnectorOptions options) {
    Map<String, Object> config = new HashMap<>(options.getKafka().clientConfig());
    config.put("group.id", options.getGroupId());
    config.put("enable.auto.commit", "false");
    config.putIfAbsent("auto.offset.reset", "earliest");
    config.putIfAbsent("isolation.level", "read_committed");
    config.putIfAbsent("max.poll.records", Integer.toString(options.getMaxPollRecords()));
    // A killed instance's partitions move on after 10 s instead of Kafka's default 45 s.
    config.putIfAbsent("session.timeout.ms", "10000");
    config.putIfAbsent("client.id", "weaver-engine-connector-" + UUID.randomUUID().toString().substring(0, 8));
    // One consumer fetches every topic: if any is a latency topic, the consumer takes that profile's settings.
    if (options.getTopics().stream().anyMatch(t -> options.profileOf(t) == TopicProfile.LATENCY)) {
      TopicProfile.LATENCY.consumerSettings().forEach(config::putIfAbsent);
    }
    return config;
  }

  /** Records the offset up to which a partition is acknowledged (the next offset to read). */
  void acknowledged(TopicPartition partition, long nextOffset) {
    acknowledged.put(partition, nextOffset);
  }

  /**
   * Commits only what is still ours and moves forward. A periodic commit is computed on the event
   * loop and queued for the consumer thread; a rebalance can run in between (inside a poll) and
   * commit the revoked partitions' newer watermark. Committed late, the queued older offsets would
   * move the group's position back for the partition's next owner (the broker does not check
   * ownership), so they are dropped here, where the assignment is known.
   */
  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Set<TopicPartition> owned = assignment();
    Map<TopicPartition, OffsetAndMetadata> forward = new HashMap<>();
    offsets.forEach((partition, offset) -> {
      if (owned.contains(partition) && offset.offset() > committedHere.getOrDefault(partition, -1L)) {
        forward.put(partition, offset);
      }
    });
    if (!forward.isEmpty()) {
      super.commitSync(forward);
      forward.forEach((partition, offset) -> committedHere.put(partition, offset.offset()));
    }
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(topics, new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
          Long next = acknowledged.remove(partition);
          if (next != null) {
            offsets.put(partition, new OffsetAndMetadata(next));
          }
        }
        if (!offsets.isEmpty()) {
          try {
            commitSync(offsets);
          } catch (RuntimeException e) {
            // The records after the last successful commit are fed again by the next owner: duplicates, no loss.
            LOG.atWarn().addKeyValue("partitions", offsets.keySet()).log("connector.revoke_commit_failed: {}", e.toString());
          }
        }
        partitions.forEach(committedHere::remove);
        listener.onPartitionsRevoked(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Where the group stands: a commit queued before an earlier revocation must not go below it.
        try {
          committed(new java.util.HashSet<>(partitions)).forEach((partition, offset) -> {
            if (offset != null) {
              committedHere.put(partition, offset.offset());
            }
          });
        } catch (RuntimeException e) {
          LOG.atWarn().addKeyValue("partitions", partitions).log("connector.committed_lookup_failed: {}", e.toString());
        }
        listener.onPartitionsAssigned(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(acknowledged::remove); // no longer ours: committing would fail or regress
        partitions.forEach(committedHere::remove);
        listener.onPartitionsLost(partitions);
      }
    });
  }
}
