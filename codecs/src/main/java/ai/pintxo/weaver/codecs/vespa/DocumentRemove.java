package ai.pintxo.weaver.codecs.vespa;

import java.util.Objects;

/**
 * Removes a document ({@code DELETE}); removing a missing document succeeds.
 *
 * @param id the document
 */
public record DocumentRemove(DocumentId id) implements DocumentOperation {

  public DocumentRemove {
    Objects.requireNonNull(id, "id");
  }
}
