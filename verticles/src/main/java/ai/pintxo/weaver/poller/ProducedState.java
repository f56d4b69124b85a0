package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the poller last produced for each record key: a 128-bit hash of the value, in memory and in
 * a compacted Kafka topic (key {@code <topic>/<record key>}), so change-only feeding survives
 * restarts. The topic is read whole at start, on a worker; afterwards the map is only touched from
 * the verticle's event loop.
 *
 * <p>A hash is written only after Kafka acknowledged the record itself: if the state write is lost,
 * the record is produced once more on the next poll (at least once), never skipped.
 */
final class ProducedState {

  private static final Logger LOG = LoggerFactory.getLogger(ProducedState.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  private final String stateTopic;
  private final Map<String, byte[]> hashes;

  private ProducedState(String stateTopic, Map<String, byte[]> hashes) {
    this.stateTopic = stateTopic;
    this.hashes = hashes;
  }

  /**
   * Reads the state topic from the beginning to its end (blocking Kafka calls run on a worker).
   *
   * @param vertx        the Vert.x instance
   * @param kafka        the Kafka options
   * @param stateTopic   the compacted state topic, which must exist
   * @param recordTopics the record topics whose state to keep (this poller's share)
   * @return the state
   */
  static Future<ProducedState> load(Vertx vertx, KafkaOptions kafka, String stateTopic, Set<String> recordTopics) {
    return vertx.executeBlocking(() -> {
      long start = System.nanoTime();
      Map<String, byte[]> hashes = new HashMap<>();
      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put("enable.auto.commit", "false");
      config.put("client.id", "weaver-poller-state-loader");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(stateTopic, LOAD_TIMEOUT).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, LOAD_TIMEOUT);
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (!caughtUp(consumer, end)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("could not read state topic " + stateTopic + " to its end within " + LOAD_TIMEOUT);
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() == null) {
              continue;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            int slash = key.indexOf('/');
            if (slash < 0 || !recordTopics.contains(key.substring(0, slash))) {
              continue;
            }
            if (r.value() == null) {
              hashes.remove(key);
            } else {
              hashes.put(key, r.value());
            }
          }
        }
      }
      LOG.atInfo().addKeyValue("topic", stateTopic).addKeyValue("keys", hashes.size())
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000).log("poller.state_loaded");
      return new ProducedState(stateTopic, hashes);
    });
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** @return state that remembers nothing and writes nothing (change-only feeding off) */
  static ProducedState disabled() {
    return new ProducedState(null, null);
  }

  /** @return whether change-only feeding is on */
  boolean enabled() {
    return hashes != null;
  }

  /**
   * @param topic the record topic
   * @param key   the record key
   * @param hash  the hash of the value about to be produced
   * @return whether the last value produced for the key has this hash
   */
  boolean unchanged(String topic, String key, byte[] hash) {
    return hashes != null && Arrays.equals(hashes.get(topic + "/" + key), hash);
  }

  /**
   * Remembers a value Kafka acknowledged, in memory and in the state topic.
   *
   * @return the acknowledgement of the state record
   */
  Future<Void> remember(SourceSink sink, String topic, String key, byte[] hash) {
    if (hashes == null) {
      return Future.succeededFuture();
    }
    String stateKey = topic + "/" + key;
    hashes.put(stateKey, hash);
    return sink.send(stateTopic, stateKey.getBytes(StandardCharsets.UTF_8), hash, List.of()).mapEmpty();
  }

  /** @return the first 128 bits of the value's SHA-256 */
  static byte[] hash(byte[] value) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(value), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
