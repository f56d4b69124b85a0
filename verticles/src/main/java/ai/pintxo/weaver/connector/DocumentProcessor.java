package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;

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
   * @param record a decoded record
   * @return the operation that writes it
   * @throws IllegalArgumentException when the record cannot become a document (it is dead-lettered)
   */
  DocumentOperation process(T record);
}
