package ai.pintxo.weaver.impl.kafka;

import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.kafka.TopicProfile;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds the weaver's Kafka clients with the settings its guarantees rely on. */
public final class KafkaClients {

  private KafkaClients() {
  }

  /**
   * A producer of raw bytes (values are encoded by their {@code Topic}) that waits for all in-sync
   * replicas and never duplicates on retry. Its client metrics ({@code kafka_producer_*}: record-error-rate,
   * buffer-available-bytes, request-latency, …) are bound to the verticles' meter registry until it closes.
   * Builds a Kafka client: call it on a worker ({@code executeBlocking}), not on an event loop.
   *
   * @param clientId names the producer in broker logs and metrics
   */
  public static KafkaWriteStream<byte[], byte[]> producer(Vertx vertx, KafkaOptions options, String clientId) {
    return producer(vertx, new HashMap<>(options.clientConfig()), clientId, TopicProfile.THROUGHPUT);
  }

  /**
   * A {@link #producer} for a {@link SourceSink}, whose sends block at most {@code max.block.ms} = 5 s (unless
   * set in {@code kafka.properties}). A send blocks when the producer lost a topic's metadata (the broker's
   * last answer before it went away), and it blocks the producer's one worker: every later send, and the
   * producer's close, waits behind it, one {@code max.block.ms} after the other while the broker stays away.
   * Kafka's 60 s would hide an outage from the sink for a minute and make a stop during one take hours; the
   * sink re-sends the {@code TimeoutException} anyway, so waiting longer buys nothing.
   */
  public static KafkaWriteStream<byte[], byte[]> sourceProducer(Vertx vertx, KafkaOptions options, String clientId) {
    return sourceProducer(vertx, options, clientId, TopicProfile.THROUGHPUT);
  }

  /** A {@link #sourceProducer} with the producer settings of a {@link TopicProfile} (where kafka.properties does not set them). */
  public static KafkaWriteStream<byte[], byte[]> sourceProducer(Vertx vertx, KafkaOptions options, String clientId, TopicProfile profile) {
    Map<String, Object> config = new HashMap<>(options.clientConfig());
    config.putIfAbsent("max.block.ms", "5000");
    return producer(vertx, config, clientId, profile);
  }

  /**
   * A read stream over a consumer, on the caller's context, without the Kafka client's own tracing:
   * the weaver carries trace context in its records itself ({@code Tracing}), and the client's span per
   * record would leave its context active on the event loop for unrelated work.
   */
  public static KafkaReadStream<byte[], byte[]> readStream(Vertx vertx, Consumer<byte[], byte[]> consumer) {
    return KafkaReadStream.create(vertx, consumer, new KafkaClientOptions().setTracingPolicy(TracingPolicy.IGNORE));
  }

  private static final java.util.concurrent.atomic.AtomicInteger PRODUCERS = new java.util.concurrent.atomic.AtomicInteger();

  private static KafkaWriteStream<byte[], byte[]> producer(Vertx vertx, Map<String, Object> config, String clientId, TopicProfile profile) {
    config.putIfAbsent("acks", "all");
    config.putIfAbsent("enable.idempotence", "true");
    profile.producerSettings().forEach(config::putIfAbsent);
    // KAFKA-15591 (fixed in the broker in 4.5, not in 4.4.0): with several requests in flight to a partition created a moment
    // ago, a later batch can land before a retried earlier one, which then fails with an out-of-order
    // sequence until its delivery timeout: silent loss. One request in flight per connection avoids it.
    config.putIfAbsent("max.in.flight.requests.per.connection", "1");
    // Numbered: two instances of a source in one process would otherwise share an id, and with it their meters and JMX names.
    config.putIfAbsent("client.id", clientId + "-" + PRODUCERS.incrementAndGet());
    // The binding is closed by a metric reporter, which Kafka closes with the producer (ProducerMetrics).
    ProducerMetrics.Holder holder = new ProducerMetrics.Holder();
    Object reporters = config.getOrDefault(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, JmxReporter.class.getName());
    config.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
        (reporters.toString().isBlank() ? "" : reporters + ",") + ProducerMetrics.class.getName());
    config.put(ProducerMetrics.HOLDER, holder);
    KafkaWriteStream<byte[], byte[]> producer = KafkaWriteStream.create(vertx,
        new KafkaClientOptions().setConfig(config).setTracingPolicy(TracingPolicy.IGNORE), new ByteArraySerializer(), new ByteArraySerializer());
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer.unwrap());
    metrics.bindTo(WeaverMetrics.registry(vertx));
    holder.set(metrics);
    return producer;
  }
}
