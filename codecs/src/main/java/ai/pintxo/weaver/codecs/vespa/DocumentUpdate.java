package ai.pintxo.weaver.codecs.vespa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partial update ({@code PUT}) that assigns fields; with {@code create} it is an upsert, which is
 * how the original system wrote every document.
 *
 * @param id      the document
 * @param assigns field name → new value, in insertion order
 * @param create  create the document when it does not exist
 */
public record DocumentUpdate(DocumentId id, Map<String, FieldValue> assigns, boolean create) implements DocumentOperation {

  public DocumentUpdate {
    Objects.requireNonNull(id, "id");
    if (assigns.isEmpty()) {
      throw new IllegalArgumentException("update of " + id + " assigns no field");
    }
    // A builder's map is taken over as it is (a builder that goes on copies it first): no second map per update.
    assigns = assigns instanceof BuiltAssigns built && built.adopt() ? Collections.unmodifiableMap(built)
        : Collections.unmodifiableMap(new LinkedHashMap<>(assigns));
  }

  /**
   * The assigns a {@link Builder} (or a merge) fills and hands to one update, which keeps it without a
   * copy; nothing else holds it afterwards. Adopted once: a second update of the same map copies it.
   */
  private static final class BuiltAssigns extends LinkedHashMap<String, FieldValue> {
    private boolean adopted;

    BuiltAssigns(int capacity) {
      super(capacity);
    }

    BuiltAssigns(Map<String, FieldValue> from) {
      super(from);
    }

    boolean adopt() {
      if (adopted) {
        return false;
      }
      adopted = true;
      return true;
    }
  }

  /**
   * @param later an update of the same document that comes after this one
   * @return one update with the same effect as this one then {@code later}: its assigns win
   * @throws IllegalArgumentException for another document or another {@code create}
   */
  public DocumentUpdate mergedWith(DocumentUpdate later) {
    if (!id.equals(later.id) || create != later.create) {
      throw new IllegalArgumentException("cannot merge an update of " + later.id + " (create=" + later.create + ") into " + id
          + " (create=" + create + ")");
    }
    BuiltAssigns merged = new BuiltAssigns(assigns);
    merged.putAll(later.assigns);
    return new DocumentUpdate(id, merged, create);
  }

  /** @return a builder of an upsert ({@code create=true}) of the document */
  public static Builder upsert(DocumentId id) {
    return new Builder(id, true);
  }

  /**
   * Builds an update field by field. A {@code null} value leaves the field out of the update, so
   * the field keeps what Vespa holds: the behaviour of the original, which sent {@code undefined}.
   */
  public static final class Builder {
    private final DocumentId id;
    private final boolean create;
    /** Sized for the widest documents (pools: about 20 fields) without a resize. */
    private BuiltAssigns assigns = new BuiltAssigns(32);

    private Builder(DocumentId id, boolean create) {
      this.id = id;
      this.create = create;
    }

    /** Assigns a string; null leaves the field out. */
    public Builder assign(String field, String value) {
      return value == null ? this : put(field, FieldValue.of(value));
    }

    /** Assigns a long; null leaves the field out. */
    public Builder assign(String field, Long value) {
      return value == null ? this : put(field, FieldValue.of(value.longValue()));
    }

    /** Assigns a double; null leaves the field out. */
    public Builder assign(String field, Double value) {
      return value == null ? this : put(field, FieldValue.of(value.doubleValue()));
    }

    /** Assigns a bool; null leaves the field out. */
    public Builder assign(String field, Boolean value) {
      return value == null ? this : put(field, FieldValue.of(value.booleanValue()));
    }

    /** Assigns an {@code array<string>}; null leaves the field out. */
    public Builder assign(String field, List<String> value) {
      return value == null ? this : put(field, FieldValue.ofStrings(value));
    }

    /** Assigns a {@code map<string,double>}; null leaves the field out. */
    public Builder assignMap(String field, Map<String, Double> value) {
      return value == null ? this : put(field, FieldValue.ofDoubles(value));
    }

    private Builder put(String field, FieldValue value) {
      if (assigns.adopted) { // built before: the update owns that map, this builder goes on with a copy
        assigns = new BuiltAssigns(assigns);
      }
      if (assigns.putIfAbsent(field, value) != null) {
        throw new IllegalArgumentException("field '" + field + "' assigned twice in update of " + id);
      }
      return this;
    }

    /** @return the update */
    public DocumentUpdate build() {
      return new DocumentUpdate(id, assigns, create); // the update keeps the filled map (see put)
    }
  }
}
