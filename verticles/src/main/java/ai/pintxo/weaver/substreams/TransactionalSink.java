package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes batches of blocks to Kafka exactly once: each batch's records and the cursor after its last
 * block go in one Kafka transaction, so a consumer reading committed records sees a block's records
 * if and only if the cursor that skips them is stored. The transactional id is stable per substream,
 * so a restarted instance fences a stale one.
 *
 * <p>Kafka's transactional calls block: they all run on one dedicated worker thread, in order; the
 * returned futures complete on the caller's context.
 */
final class TransactionalSink {

  private final WorkerExecutor worker;
  private final Map<String, Object> config;
  private final String cursorTopic;
  private KafkaProducer<byte[], byte[]> producer;

  TransactionalSink(Vertx vertx, KafkaOptions kafka, String transactionalId, String cursorTopic) {
    this.cursorTopic = cursorTopic;
    this.worker = vertx.createSharedWorkerExecutor("weaver-substreams-" + transactionalId, 1);
    Map<String, Object> c = new HashMap<>(kafka.clientConfig());
    c.putIfAbsent("acks", "all");
    c.put("enable.idempotence", "true");
    c.put("transactional.id", transactionalId);
    c.putIfAbsent("client.id", transactionalId);
    // KAFKA-15591: one request in flight per connection (see KafkaClients).
    c.putIfAbsent("max.in.flight.requests.per.connection", "1");
    c.putIfAbsent("linger.ms", "2");
    c.putIfAbsent("batch.size", String.valueOf(512 * 1024));
    c.putIfAbsent("compression.type", "lz4");
    c.putIfAbsent("transaction.timeout.ms", "60000");
    this.config = c;
  }

  /** Creates the producer and fences any earlier instance with the same transactional id. */
  Future<Void> start() {
    return worker.<Void>executeBlocking(() -> {
      open();
      return null;
    }, true);
  }

  private void open() {
    producer = new KafkaProducer<>(new HashMap<>(config), new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
  }

  /**
   * @param blocks the blocks, in order
   * @param cursor the cursor after the last one
   * @param cursorValue its encoding
   * @return completes when the transaction is committed; fails after aborting it
   */
  Future<Void> commit(List<PendingBlock> blocks, SubstreamsCursor cursor, byte[] cursorValue) {
    return worker.<Void>executeBlocking(() -> {
      if (producer == null) {
        open();
      }
      try {
        producer.beginTransaction();
        for (PendingBlock b : blocks) {
          for (ProducerRecord<byte[], byte[]> r : b.records()) {
            producer.send(r);
          }
        }
        producer.send(new ProducerRecord<>(cursorTopic, cursor.substream().getBytes(java.nio.charset.StandardCharsets.UTF_8), cursorValue));
        producer.commitTransaction();
        return null;
      } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
        closeQuietly();
        throw e;
      } catch (KafkaException e) {
        try {
          producer.abortTransaction();
        } catch (KafkaException abortFailed) {
          closeQuietly(); // reopened on the next commit
        }
        throw e;
      }
    }, true);
  }

  /** @return true when the error means another instance took over this substream */
  static boolean isFenced(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ProducerFencedException) {
        return true;
      }
    }
    return false;
  }

  private void closeQuietly() {
    if (producer != null) {
      try {
        producer.close(java.time.Duration.ZERO);
      } catch (RuntimeException ignored) {
        // closing a broken producer: nothing to save
      }
      producer = null;
    }
  }

  /** Aborts nothing in flight (commits are awaited by the caller) and closes the producer and its thread. */
  Future<Void> close() {
    return worker.<Void>executeBlocking(() -> {
      if (producer != null) {
        producer.close(java.time.Duration.ofSeconds(10));
        producer = null;
      }
      return null;
    }, true).eventually(worker::close);
  }
}
