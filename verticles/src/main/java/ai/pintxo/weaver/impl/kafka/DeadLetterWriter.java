package ai.pintxo.weaver.impl.kafka;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records that cannot be processed to {@code <topic>.dlq}, with the original key and value
 * and a {@link DeadLetter} in the headers, logs one line and counts it. The returned future
 * completes when the broker acknowledged the dead letter: only then may the original be committed.
 * A source writes its dead letters through its {@link SourceSink}, so they are retried like its records.
 */
public final class DeadLetterWriter {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final Function<ProducerRecord<byte[], byte[]>, Future<?>> sender;
  private final MeterRegistry registry;

  /** Writes with a producer of its own (the connector's). */
  public DeadLetterWriter(KafkaWriteStream<byte[], byte[]> producer, MeterRegistry registry) {
    this.sender = producer::send;
    this.registry = registry;
  }

  /** Writes through a source's sink: acknowledged, retried while Kafka is unavailable. */
  public DeadLetterWriter(SourceSink sink, MeterRegistry registry) {
    this.sender = r -> sink.send(r.topic(), r.key(), r.value(), r.headers());
    this.registry = registry;
  }

  /**
   * @param topicName the topic the record belongs to (its dead-letter topic is derived)
   * @param key       the original key, may be null
   * @param value     the original value or body, may be null
   * @param letter    why it failed
   * @return completes when the dead letter is acknowledged
   */
  public Future<Void> write(String topicName, byte[] key, byte[] value, DeadLetter letter) {
    return write(topicName, key, value, letter, List.of());
  }

  /**
   * @param trace the trace context to keep ({@code traceparent}, {@code tracestate}), possibly none
   * @return completes when the dead letter is acknowledged
   */
  public Future<Void> write(String topicName, byte[] key, byte[] value, DeadLetter letter, List<Header> trace) {
    String dlq = topicName + Topic.DEAD_LETTER_SUFFIX;
    List<Header> headers = letter.toHeaders();
    headers.addAll(trace);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlq, null, key, value, headers);
    LOG.atWarn().addKeyValue("topic", topicName).addKeyValue("stage", letter.stage()).addKeyValue("status", letter.status())
        .addKeyValue("origin", letter.origin()).addKeyValue("error", letter.error()).log("record.dead_lettered");
    counter(topicName, letter.stage()).increment();
    return sender.apply(record).mapEmpty();
  }

  /**
   * The dead-letter counter of a topic and stage; registering it up front makes it visible at 0.
   *
   * @return the counter
   */
  public Counter counter(String topicName, String stage) {
    return Counter.builder("weaver.dead.letters").description("Records written to a dead-letter topic")
        .tag("topic", topicName).tag("stage", stage).register(registry);
  }
}
