package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.launcher.StatusReport.LatestDeadLetter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest dead letters of every {@code *.dlq} topic, with their errors, for the status page. The
 * dead-letter topics are the record (the counters only count), and they hold every process's letters.
 * Reading Kafka blocks, so it runs on a worker, one read at a time, at most every
 * {@link #MIN_PERIOD} when this process's dead-letter count moved and every {@link #MAX_PERIOD}
 * otherwise (other processes write too); between reads the last result is served.
 */
final class RecentDeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(RecentDeadLetters.class);
  static final int PER_PARTITION = 5;
  static final int SHOWN = 10;
  private static final Duration MIN_PERIOD = Duration.ofSeconds(2);
  private static final Duration MAX_PERIOD = Duration.ofSeconds(30);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final KafkaOptions kafka;
  private final LongSupplier clock;
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile List<LatestDeadLetter> latest = List.of();
  private volatile long readAt = Long.MIN_VALUE;
  private volatile long countAtRead = -1;

  /** @param clock nanoseconds, as {@link System#nanoTime()} */
  RecentDeadLetters(Vertx vertx, KafkaOptions kafka, LongSupplier clock) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.clock = clock;
  }

  /**
   * @param count this process's dead letters so far
   * @return the letters of the last read, newest first; starts a new read when one is due
   */
  List<LatestDeadLetter> latest(long count) {
    long now = clock.getAsLong();
    long age = readAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - readAt;
    boolean due = age >= MAX_PERIOD.toNanos() || (count != countAtRead && age >= MIN_PERIOD.toNanos());
    if (due && reading.compareAndSet(false, true)) {
      vertx.executeBlocking(this::read, false).onComplete(ar -> {
        if (ar.succeeded()) {
          latest = ar.result();
        } else {
          LOG.atWarn().addKeyValue("error", String.valueOf(ar.cause().getMessage())).log("status.dead_letters_unread");
        }
        readAt = clock.getAsLong();
        countAtRead = count;
        reading.set(false);
      });
    }
    return latest;
  }

  private List<LatestDeadLetter> read() {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("enable.auto.commit", "false");
    config.put("client.id", "weaver-status-dlq-" + ProcessHandle.current().pid());
    config.remove("group.id");
    List<LatestDeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.listTopics(READ_TIMEOUT).forEach((topic, infos) -> {
        if (topic.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
          infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
      });
      if (partitions.isEmpty()) {
        return List.of();
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      List<TopicPartition> nonEmpty = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        if (end.get(tp) > begin.get(tp)) {
          consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - PER_PARTITION));
          nonEmpty.add(tp);
        }
      }
      consumer.assign(nonEmpty);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (nonEmpty.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String topic = r.topic().substring(0, r.topic().length() - Topic.DEAD_LETTER_SUFFIX.length());
          try {
            DeadLetter.fromHeaders(r.headers()).ifPresent(letter -> letters.add(new LatestDeadLetter(topic, letter)));
          } catch (RuntimeException e) {
            // headers written by something else than a weaver: not a letter the page can explain
          }
        }
      }
    }
    letters.sort(Comparator.comparing((LatestDeadLetter l) -> l.letter().time()).reversed());
    return List.copyOf(letters.subList(0, Math.min(SHOWN, letters.size())));
  }
}
