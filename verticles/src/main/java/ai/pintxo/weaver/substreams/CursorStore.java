package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a substream's last committed cursor from the compacted cursor topic (read committed, so a
 * cursor of an aborted transaction is never seen), and creates that topic when missing. Blocking
 * Kafka calls run on a worker.
 */
final class CursorStore {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private CursorStore() {
  }

  /** Creates the cursor topic, compacted, with one partition, when it does not exist. */
  static Future<Void> ensureTopic(Vertx vertx, KafkaOptions kafka, String topic) {
    if (!kafka.isCreateTopics()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      try (Admin admin = Admin.create(new HashMap<>(kafka.clientConfig()))) {
        if (admin.listTopics().names().get().contains(topic)) {
          return null;
        }
        NewTopic t = new NewTopic(topic, 1, kafka.getReplicationFactor())
            .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));
        try {
          admin.createTopics(List.of(t)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        return null;
      }
    }, false);
  }

  /** @return the substream's last committed cursor, if any */
  static Future<Optional<SubstreamsCursor>> read(Vertx vertx, KafkaOptions kafka, String topic, String substream) {
    return vertx.executeBlocking(() -> {
      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put("isolation.level", "read_committed");
      config.put("enable.auto.commit", "false");
      config.remove("group.id");
      byte[] key = substream.getBytes(StandardCharsets.UTF_8);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
        byte[] last = null;
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("could not read cursor topic " + topic + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() != null && java.util.Arrays.equals(r.key(), key)) {
              last = r.value();
            }
          }
        }
        if (last == null) {
          return Optional.<SubstreamsCursor>empty();
        }
        return Optional.of(SubstreamsCursor.TOPIC.decode(last, -1, -1));
      }
    }, false);
  }

  /** @return the topics a substream writes, for creation */
  static Set<String> dataTopics(String topic) {
    return Set.of(topic, topic + ai.pintxo.weaver.codecs.Topic.DEAD_LETTER_SUFFIX);
  }
}
