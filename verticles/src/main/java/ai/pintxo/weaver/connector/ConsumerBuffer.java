package ai.pintxo.weaver.connector;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records between Kafka and Vespa (in flight, waiting or retrying) and the back-pressure they
 * cause: when more than {@code maxBufferedBytes} are buffered, the partitions holding them are
 * paused; below half the bound they resume. The consumer keeps polling, so it stays in its group
 * and the other partitions flow. The bound is soft by what is already fetched: the poll in flight
 * when a pause is asked for still delivers, so up to two polls may arrive above it.
 *
 * <p>Threading: confined to the connector's event loop.
 */
final class ConsumerBuffer {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);

  private final long maxBufferedBytes;
  private final Set<TopicPartition> paused = new HashSet<>();
  private KafkaReadStream<byte[], byte[]> consumer;
  private int buffered;
  private long bufferedBytes;

  ConsumerBuffer(long maxBufferedBytes) {
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /** @param consumer the stream whose partitions are paused and resumed */
  void bind(KafkaReadStream<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /** @return the gauges of this buffer, registered with an {@code instance} tag (remove them on stop) */
  List<Meter> gauges(MeterRegistry registry, String instance) {
    return List.of(
        Gauge.builder("weaver.connector.buffered.records", () -> buffered)
            .description("Records between Kafka and Vespa").tag("verticle_instance", instance).register(registry),
        Gauge.builder("weaver.connector.buffered.bytes", () -> bufferedBytes)
            .description("Bytes of records between Kafka and Vespa").tag("verticle_instance", instance).register(registry),
        Gauge.builder("weaver.connector.paused.partitions", paused::size)
            .description("Partitions paused for back-pressure").tag("verticle_instance", instance).register(registry));
  }

  /** A record was handed over by the consumer. */
  void add(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
    long size = size(record);
    buffered++;
    bufferedBytes += size;
    progress.buffered(size);
  }

  /** A record left the buffer: done, or dropped while stopping. */
  void release(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
    long size = size(record);
    buffered--;
    bufferedBytes -= size;
    progress.buffered(-size);
  }

  /** Kafka forgets the pause of a revoked partition, and so does this buffer. */
  void forget(TopicPartition partition) {
    paused.remove(partition);
  }

  /**
   * Over the byte bound, pauses the partitions that hold buffered records (others keep flowing
   * until they hold some too); below half the bound, resumes them unless stopping.
   *
   * @param progress the assigned partitions
   */
  void apply(Map<TopicPartition, PartitionProgress> progress, boolean stopping) {
    if (bufferedBytes >= maxBufferedBytes) {
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
    } else if (!paused.isEmpty() && bufferedBytes <= maxBufferedBytes / 2 && !stopping) {
      Set<TopicPartition> toResume = new HashSet<>(paused);
      toResume.retainAll(progress.keySet());
      paused.clear();
      if (!toResume.isEmpty()) {
        consumer.resume(toResume);
      }
      LOG.atDebug().addKeyValue("bufferedBytes", bufferedBytes).log("connector.resumed");
    }
  }

  Set<TopicPartition> paused() {
    return Set.copyOf(paused);
  }

  int buffered() {
    return buffered;
  }

  long bufferedBytes() {
    return bufferedBytes;
  }

  private static long size(ConsumerRecord<byte[], byte[]> record) {
    return 64L + (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
  }
}
