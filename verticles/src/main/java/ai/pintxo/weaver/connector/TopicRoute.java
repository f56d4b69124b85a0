package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One consumed topic: decodes its records with the topic's serde, turns them into operations with
 * its processor, and counts the documents fed and rejected.
 *
 * @param <T> the record type
 */
final class TopicRoute<T> {

  private final Topic<T> topic;
  private final DocumentProcessor<T> processor;
  final Counter fed;
  final Counter rejected;
  /** A latency-profile topic: its operations go to Vespa before bulk work waiting in the feeder. */
  final boolean urgent;

  TopicRoute(DocumentProcessor<T> processor, MeterRegistry registry, boolean urgent) {
    this.topic = processor.topic();
    this.processor = processor;
    this.urgent = urgent;
    this.fed = Counter.builder("weaver.documents.fed").description("Documents Vespa acknowledged")
        .tag("topic", topic.name()).tag("document_type", processor.documentType()).tag("result", "ok").register(registry);
    this.rejected = Counter.builder("weaver.documents.fed").description("Documents Vespa acknowledged")
        .tag("topic", topic.name()).tag("document_type", processor.documentType()).tag("result", "rejected").register(registry);
  }

  /** @throws ai.pintxo.weaver.codecs.failure.UndecodableFailure when the value does not fit the topic's type */
  T decode(ConsumerRecord<byte[], byte[]> record) {
    return topic.decode(record.value(), record.partition(), record.offset());
  }

  /** @throws ai.pintxo.weaver.codecs.failure.PermanentFailure when the processor cannot make a document of it */
  DocumentOperation process(T value) {
    return processor.process(value);
  }

  /** @return the removal of the document a compensating tombstone is keyed by */
  DocumentOperation remove(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      throw new ai.pintxo.weaver.codecs.failure.PermanentFailure(new ai.pintxo.weaver.codecs.RecordOrigin(record.topic(),
          record.partition(), record.offset()), "process", 0, "a compensating remove without a key", null);
    }
    String key = topic.keySerde().decode(record.key(), new ai.pintxo.weaver.codecs.RecordOrigin(record.topic(), record.partition(),
        record.offset()));
    return processor.remove(key);
  }

  DocumentProcessor<T> processor() {
    return processor;
  }

  Topic<T> topic() {
    return topic;
  }
}
