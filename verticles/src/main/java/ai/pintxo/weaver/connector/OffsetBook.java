package ai.pintxo.weaver.connector;

import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's commit bookkeeping: a {@link PartitionProgress} per assigned partition, the
 * offsets committed so far, and the periodic commit of each watermark that moved. Each advance is
 * also told to the {@link CommitOnRevokeConsumer}, which commits it when a rebalance takes the
 * partition away, before the next owner reads it.
 *
 * <p>Threading: confined to the connector's event loop (the revoke commit reads a concurrent map).
 */
final class OffsetBook {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);

  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final CommitOnRevokeConsumer nativeConsumer;
  private Future<Void> commitInProgress = Future.succeededFuture();

  OffsetBook(CommitOnRevokeConsumer nativeConsumer) {
    this.nativeConsumer = nativeConsumer;
  }

  void assigned(Set<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      progress.put(partition, new PartitionProgress());
    }
  }

  /** Completions of these partitions' records no longer count. */
  void revoked(Set<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      PartitionProgress gone = progress.remove(partition);
      if (gone != null) {
        gone.revoke();
      }
      committed.remove(partition);
    }
  }

  /**
   * @param record a record handed over by the consumer
   * @return its partition's progress, which now tracks it
   */
  PartitionProgress track(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionProgress p = progress.computeIfAbsent(partition, x -> new PartitionProgress());
    try {
      p.started(record.offset());
    } catch (IllegalArgumentException rewound) {
      // The position went back (a re-assignment reading from the committed offset): start over.
      p.revoke();
      p = new PartitionProgress();
      progress.put(partition, p);
      p.started(record.offset());
    }
    return p;
  }

  /** The record was fed or dead-lettered: its partition's watermark may advance. */
  void done(ConsumerRecord<byte[], byte[]> record, PartitionProgress p) {
    p.completed(record.offset());
    if (!p.isRevoked() && p.committable() >= 0) {
      nativeConsumer.acknowledged(new TopicPartition(record.topic(), record.partition()), p.committable());
    }
  }

  /** @return the assigned partitions' progress, read-only */
  Map<TopicPartition, PartitionProgress> partitions() {
    return Collections.unmodifiableMap(progress);
  }

  /** @return the commit running now, or a completed future */
  Future<Void> commitInProgress() {
    return commitInProgress;
  }

  /** Commits each partition's acknowledged watermark that moved since the last commit; joins a commit already running. */
  Future<Void> commit(KafkaReadStream<byte[], byte[]> consumer) {
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
}
