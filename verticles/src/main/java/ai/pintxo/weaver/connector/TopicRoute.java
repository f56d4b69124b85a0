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

  TopicRoute(DocumentProcessor<T> processor, MeterRegistry registry) {
    this.topic = processor.topic();
    this.processor = processor;
    this.fed = Counter.builder("weaver.documents.fed").description("Documents Vespa acknowledged")
        .tag("topic", topic.name()).tag("document_type", processor.documentType()).tag("result", "ok").register(registry);
    this.rejected = Counter.builder("weaver.documents.fed").description("Documents Vespa acknowledged")
        .tag("topic", topic.name()).tag("document_type", processor.documentType()).tag("result", "rejected").register(registry);
  }

  /**
   * @throws ai.pintxo.weaver.codecs.PayloadDecodeException when the value does not fit the topic's type
   * @throws IllegalArgumentException when the processor cannot make a document of it
   */
  DocumentOperation operation(ConsumerRecord<byte[], byte[]> record) {
    T value = topic.decode(record.value(), record.partition(), record.offset());
    return processor.process(value);
  }

  Topic<T> topic() {
    return topic;
  }
}
