package ai.pintxo.weaver.codecs.vespa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a whole document ({@code POST}), replacing any previous version.
 *
 * @param id     the document
 * @param fields field name → value, in insertion order
 */
public record DocumentPut(DocumentId id, Map<String, FieldValue> fields) implements DocumentOperation {

  public DocumentPut {
    Objects.requireNonNull(id, "id");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
