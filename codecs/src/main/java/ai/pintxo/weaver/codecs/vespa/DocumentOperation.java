package ai.pintxo.weaver.codecs.vespa;

/**
 * One /document/v1 operation: a put, a partial update or a remove. Processors produce these;
 * only the transport turns them into HTTP requests.
 */
public sealed interface DocumentOperation permits DocumentPut, DocumentUpdate, DocumentRemove {

  /** @return the document the operation applies to */
  DocumentId id();
}
