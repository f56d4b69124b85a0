package ai.pintxo.weaver.codecs.declared;

import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The fields a configured source declares and which of them is the id: what a
 * {@link DeclaredRecord} holds. Built from configuration (a source endpoint, the connector's copy of
 * it), checked when built, so a wrong declaration stops the weaver at start and never reaches data.
 */
public final class DeclaredSchema {

  private final List<DeclaredField> fields;
  private final int idIndex;

  /**
   * @param fields  the fields, in order; names unique
   * @param idField the name of the field holding the document id, a string or long field
   * @throws IllegalArgumentException for duplicate names, an id field not declared or not a string or long
   */
  public DeclaredSchema(List<DeclaredField> fields, String idField) {
    this.fields = List.copyOf(fields);
    if (this.fields.isEmpty()) {
      throw new IllegalArgumentException("no fields declared");
    }
    Set<String> names = new HashSet<>();
    int id = -1;
    for (int i = 0; i < this.fields.size(); i++) {
      DeclaredField f = this.fields.get(i);
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("field '" + f.name() + "' is declared twice");
      }
      if (f.name().equals(idField)) {
        id = i;
      }
    }
    if (id < 0) {
      throw new IllegalArgumentException("id field '" + idField + "' is not one of the declared fields " + names);
    }
    FieldType idType = this.fields.get(id).type();
    if (idType != FieldType.STRING && idType != FieldType.LONG) {
      throw new IllegalArgumentException("id field '" + idField + "' must be a string or long, is " + idType.configName());
    }
    this.idIndex = id;
  }

  public List<DeclaredField> fields() {
    return fields;
  }

  /** @return the id field */
  public DeclaredField idField() {
    return fields.get(idIndex);
  }

  int idIndex() {
    return idIndex;
  }

  /**
   * Reads one item of the source's JSON, each field at its pointer.
   *
   * @throws PayloadDecodeException naming the pointer of a value that does not fit, or a missing id
   */
  public DeclaredRecord read(JsonNode item, RecordOrigin origin) {
    if (item == null || !item.isObject()) {
      throw new PayloadDecodeException(origin, null, "expected an object, got " + (item == null ? "nothing" : item.getNodeType()), null);
    }
    List<Object> values = new ArrayList<>(fields.size());
    for (DeclaredField f : fields) {
      values.add(value(f, item.at(f.pointer()), f.pointer().toString(), origin));
    }
    return new DeclaredRecord(this, values);
  }

  /**
   * Reads a record as the topic carries it: an object of field name → value ({@link #encode}).
   *
   * @throws PayloadDecodeException naming the field that does not fit
   */
  public DeclaredRecord decode(JsonNode wire, RecordOrigin origin) {
    if (wire == null || !wire.isObject()) {
      throw new PayloadDecodeException(origin, null, "expected a JSON object of declared fields", null);
    }
    List<Object> values = new ArrayList<>(fields.size());
    for (DeclaredField f : fields) {
      values.add(value(f, wire.get(f.name()), f.name(), origin));
    }
    return new DeclaredRecord(this, values);
  }

  private Object value(DeclaredField f, JsonNode node, String where, RecordOrigin origin) {
    Object value;
    try {
      value = f.type().read(node);
    } catch (IllegalArgumentException e) {
      throw new PayloadDecodeException(origin, where, e.getMessage(), null);
    }
    if (value == null && f == idField()) {
      throw new PayloadDecodeException(origin, where, "missing: it is the id field", null);
    }
    if (value instanceof String s && f == idField() && s.isBlank()) {
      throw new PayloadDecodeException(origin, where, "blank: it is the id field", null);
    }
    return value;
  }

  /** @return the record as the topic carries it: field name → value, absent values left out */
  public ObjectNode encode(DeclaredRecord record) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < fields.size(); i++) {
      Object v = record.value(i);
      if (v != null) {
        out.set(fields.get(i).name(), fields.get(i).type().write(v));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeclaredSchema other && fields.equals(other.fields) && idIndex == other.idIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields, idIndex);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (DeclaredField f : fields) {
      s.append(s.length() > 1 ? ", " : "").append(f.name()).append(':').append(f.type().configName()).append(" at ").append(f.pointer());
    }
    return s.append("; id ").append(idField().name()).append('}').toString();
  }
}
