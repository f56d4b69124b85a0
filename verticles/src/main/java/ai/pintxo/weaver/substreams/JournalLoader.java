package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import ai.pintxo.weaver.kafka.KafkaOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Rebuilds a {@link ReorgJournal} from what the substream committed to its data topic, so that
 * after a restart or a reconnect the journal holds exactly what Kafka (and so Vespa) holds: each
 * partition is read to its end, read committed, in order, replaying its data records (block and
 * pruned height from {@link ReorgHeaders}) and its compensations (the key's writes above the fork
 * dropped). Keys never share a partition, so each partition is replayed into its own journal, with
 * its own pruning, and the journals are merged.
 *
 * <p>Blocking (reads the whole topic): run on a worker.
 */
final class JournalLoader {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private JournalLoader() {
  }

  /** @return the journal of everything committed to {@code topic} */
  static ReorgJournal load(KafkaOptions kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, "read_committed")) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = stableEnd(kafka, consumer, partitions);
      consumer.seekToBeginning(partitions);
      Map<Integer, ReorgJournal> byPartition = new HashMap<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to " + end + " within " + TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          // Records of one partition come in order: each partition is replayed into its own journal.
          replay(byPartition.computeIfAbsent(r.partition(), x -> new ReorgJournal(topic)), r);
        }
      }
      ReorgJournal journal = new ReorgJournal(topic);
      byPartition.values().forEach(journal::absorb);
      return journal;
    }
  }

  private static void replay(ReorgJournal journal, ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    long block = ReorgHeaders.number(r.headers(), ReorgHeaders.BLOCK, -1);
    if (ReorgHeaders.last(r.headers(), ReorgHeaders.UNDO).isPresent()) {
      journal.undoKey(block, r.key());
    } else if (r.value() != null && block < 0) {
      journal.writeFinal(r.key(), r.value()); // written before propagation (undo buffer): final
    } else if (r.value() != null) {
      journal.write(block, r.key(), r.value());
      journal.prune(ReorgHeaders.number(r.headers(), ReorgHeaders.FINAL, -1));
    }
  }

  /**
   * Waits until no transaction is open on the partitions (the last stable offset reached the high
   * watermark): a commit's markers are written after {@code commitTransaction} returns, and the
   * substream's own producer is idle when this runs, so what is left open ends shortly.
   */
  private static Map<TopicPartition, Long> stableEnd(KafkaOptions kafka, KafkaConsumer<byte[], byte[]> committed,
                                                     List<TopicPartition> partitions) {
    Map<TopicPartition, Long> high;
    try (KafkaConsumer<byte[], byte[]> uncommitted = consumer(kafka, "read_uncommitted")) {
      uncommitted.assign(partitions); // asking for offsets of unassigned partitions makes the client warn
      high = uncommitted.endOffsets(partitions, TIMEOUT);
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Map<TopicPartition, Long> stable = committed.endOffsets(partitions, TIMEOUT);
      if (partitions.stream().allMatch(p -> stable.get(p) >= high.get(p))) {
        return stable;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a transaction stayed open on " + partitions + " for " + TIMEOUT.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Kafka's last stable offset", e);
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaOptions kafka, String isolation) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("isolation.level", isolation);
    config.put("enable.auto.commit", "false");
    config.put("max.poll.records", "5000");
    config.remove("group.id");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
