package ai.pintxo.weaver.impl.kafka;

import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds the weaver's Kafka clients with the settings its guarantees rely on. */
public final class KafkaClients {

  private KafkaClients() {
  }

  /**
   * A producer of raw bytes (values are encoded by their {@code Topic}) that waits for all in-sync
   * replicas and never duplicates on retry.
   *
   * @param clientId names the producer in broker logs and metrics
   */
  public static KafkaWriteStream<byte[], byte[]> producer(Vertx vertx, KafkaOptions options, String clientId) {
    Map<String, Object> config = new HashMap<>(options.clientConfig());
    config.putIfAbsent("acks", "all");
    config.putIfAbsent("enable.idempotence", "true");
    config.putIfAbsent("linger.ms", "5");
    // KAFKA-15591 (fixed after 4.3): with several requests in flight to a partition created a moment
    // ago, a later batch can land before a retried earlier one, which then fails with an out-of-order
    // sequence until its delivery timeout: silent loss. One request in flight per connection avoids it.
    config.putIfAbsent("max.in.flight.requests.per.connection", "1");
    config.putIfAbsent("client.id", clientId);
    return KafkaWriteStream.create(vertx, config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
