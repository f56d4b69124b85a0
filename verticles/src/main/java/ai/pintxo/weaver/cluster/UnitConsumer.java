package ai.pintxo.weaver.cluster;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The group member behind a {@link UnitAssignment}. The Vert.x consumer tells its handlers about a
 * rebalance after the fact; a unit must stop before Kafka gives it to another member, so the
 * listener here runs inside {@code poll}, on the consumer thread, and may wait there.
 */
final class UnitConsumer extends KafkaConsumer<byte[], byte[]> {

  /** Called on the consumer thread; may block until the units stopped. */
  interface Rebalance {
    void revoked(Collection<TopicPartition> partitions);

    void assigned(Collection<TopicPartition> partitions);
  }

  private final Rebalance rebalance;

  UnitConsumer(Map<String, Object> config, Rebalance rebalance) {
    super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.rebalance = rebalance;
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(topics, new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        rebalance.revoked(partitions);
        listener.onPartitionsRevoked(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        rebalance.assigned(partitions);
        listener.onPartitionsAssigned(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // Another member may run them already: stop at once, as for a revocation.
        rebalance.revoked(partitions);
        listener.onPartitionsLost(partitions);
      }
    });
  }
}
