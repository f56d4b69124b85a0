package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads a substream's last committed cursor from the compacted cursor topic (read committed, so a
 * cursor of an aborted transaction is never seen), creates that topic when missing, and writes an
 * operator's cursor ({@code weaver substreams cursor set|reset}). The verticle runs the blocking
 * Kafka calls on a worker; the command line calls the blocking ones directly.
 */
public final class CursorStore {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private CursorStore() {
  }

  /** @return the transactional id of a substream's producer: the sink's and an operator's write share it, so one fences the other */
  public static String transactionalId(String substream) {
    return "weaver-substreams-" + substream;
  }

  /** Creates the cursor topic, compacted, with one partition, when it does not exist. */
  static Future<Void> ensureTopic(Vertx vertx, KafkaOptions kafka, String topic) {
    return vertx.executeBlocking(() -> {
      ensureTopicNow(kafka, topic);
      return null;
    }, false);
  }

  private static void ensureTopicNow(KafkaOptions kafka, String topic) throws Exception {
    if (!kafka.isCreateTopics()) {
      return;
    }
    try (Admin admin = Admin.create(new HashMap<>(kafka.clientConfig()))) {
      if (admin.listTopics().names().get().contains(topic)) {
        return;
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
    }
  }

  /** @return the substream's last committed cursor, if any */
  static Future<Optional<SubstreamsCursor>> read(Vertx vertx, KafkaOptions kafka, String topic, String substream) {
    return vertx.executeBlocking(() -> readNow(kafka, topic, substream), false);
  }

  /**
   * Blocking: reads the topic to its end.
   *
   * @return the substream's last committed cursor, if any (a tombstone removed it)
   */
  public static Optional<SubstreamsCursor> readNow(KafkaOptions kafka, String topic, String substream) {
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
          if (r.key() != null && Arrays.equals(r.key(), key)) {
            last = r.value();
          }
        }
      }
      if (last == null) {
        return Optional.empty();
      }
      return Optional.of(SubstreamsCursor.TOPIC.decode(last, -1, -1));
    }
  }

  /**
   * Blocking: stores an operator's cursor, or removes the stored one (a tombstone), in a Kafka
   * transaction under the substream's own transactional id. Readers use read committed as the
   * verticle does; and initialising the transactions fences a producer of the substream still
   * alive, so a stale owner cannot overwrite this cursor afterwards.
   *
   * @param cursor the cursor to store, or null to remove it
   */
  public static void writeNow(KafkaOptions kafka, String topic, String substream, SubstreamsCursor cursor) throws Exception {
    ensureTopicNow(kafka, topic);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("transactional.id", transactionalId(substream));
    config.put("client.id", transactionalId(substream) + "-operator");
    config.put("max.in.flight.requests.per.connection", "1");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, substream.getBytes(StandardCharsets.UTF_8),
          cursor == null ? null : SubstreamsCursor.TOPIC.encode(cursor)));
      producer.commitTransaction();
    }
  }

  /** @return the topics a substream writes, for creation */
  static Set<String> dataTopics(String topic) {
    return Set.of(topic, topic + ai.pintxo.weaver.codecs.Topic.DEAD_LETTER_SUFFIX);
  }
}
