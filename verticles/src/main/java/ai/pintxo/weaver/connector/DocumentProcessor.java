package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentRemove;

/**
 * Turns the records of one topic into Vespa operations. One implementation per topic, listed in
 * {@code META-INF/services/ai.pintxo.weaver.connector.DocumentProcessor}; the engine connector
 * finds it by topic name, with no registry to edit.
 *
 * @param <T> the record type
 */
public interface DocumentProcessor<T> {

  /** @return the topic this processor reads */
  Topic<T> topic();

  /** @return the Vespa document type it writes */
  String documentType();

  /**
   * Maps one record. A record that cannot become a document is refused by throwing a
   * {@link ai.pintxo.weaver.codecs.failure.PermanentFailure} with stage {@code process} (its origin
   * may be just the topic: the connector dead-letters the record with its own partition and offset),
   * and the partition flows on. Any other exception is treated as a bug in the processor: the record
   * is dead-lettered too, with the exception class in the {@code weaver.dlq.exception} header, and
   * the connector logs the stack trace once per processor and exception class and counts every
   * occurrence in {@code weaver.processor.failures}.
   *
   * @param record a decoded record
   * @return the operation that writes it
   * @throws ai.pintxo.weaver.codecs.failure.PermanentFailure when the record cannot become a document
   */
  DocumentOperation process(T record);

  /**
   * The document a compensating remove takes away: a substream with {@code undoMode: "propagate"}
   * sends a tombstone keyed like the record whose block was undone, when that document had no value
   * before the fork. By default the record's key is the document id, as every processor here has it;
   * a processor whose ids differ from its keys overrides this.
   *
   * @param key the record key
   * @return the operation that removes its document
   */
  default DocumentOperation remove(String key) {
    return new DocumentRemove(DocumentId.pintxo(documentType(), key));
  }
}
