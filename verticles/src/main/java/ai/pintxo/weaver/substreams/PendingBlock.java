package ai.pintxo.weaver.substreams;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A block's records on their way to Kafka, with the cursor that follows the block.
 *
 * @param block   the block
 * @param cursor  the cursor after it
 * @param records its records (data and dead letters), in order
 */
record PendingBlock(BlockInfo block, String cursor, List<ProducerRecord<byte[], byte[]>> records) {
}
