package ai.pintxo.weaver.codecs.declared;

import ai.pintxo.weaver.codecs.Keyed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A record of a source whose fields are declared in configuration rather than by a Java record
 * class: the typed representation of a declared REST endpoint's items, on the poller's side, on the
 * topic and in the connector.
 *
 * <p>Why one generic class with typed values, rather than a class generated per endpoint: the fields
 * are known only when the configuration is read, and both ends of the topic read the same
 * configuration, so each holds the same {@link DeclaredSchema}. The schema fixes every value's Java
 * type ({@link FieldType}: String, Long, Double, BigDecimal, Boolean, List&lt;String&gt;), checked when
 * the record is read, so what crosses from poller to Kafka to connector is still a typed record, not a
 * map of anything; generating classes at run time would add a compiler or bytecode library and a class
 * loader for no more safety. The processor ({@code DeclaredDocumentProcessor}) walks the schema as
 * {@code RecordDocumentProcessor} walks record components.
 */
public final class DeclaredRecord implements Keyed {

  private final DeclaredSchema schema;
  private final List<Object> values;

  /** Values in the order of the schema's fields, each of its field's Java type or null; built by the schema. */
  DeclaredRecord(DeclaredSchema schema, List<Object> values) {
    this.schema = schema;
    this.values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  public DeclaredSchema schema() {
    return schema;
  }

  /** @return the value of the i-th declared field, of its field type's Java type, null when the item had none */
  Object value(int i) {
    return values.get(i);
  }

  /** @return whether the item had a value for the i-th declared field */
  public boolean has(int i) {
    return values.get(i) != null;
  }

  /** @return the i-th field's value, a {@code string} field; null when absent */
  public String string(int i) {
    return typed(i, FieldType.STRING, String.class);
  }

  /** @return the i-th field's value, a {@code long} field; null when absent */
  public Long longValue(int i) {
    return typed(i, FieldType.LONG, Long.class);
  }

  /** @return the i-th field's value, a {@code double} field; null when absent */
  public Double doubleValue(int i) {
    return typed(i, FieldType.DOUBLE, Double.class);
  }

  /** @return the i-th field's value, a {@code decimal} field, exact; null when absent */
  public BigDecimal decimal(int i) {
    return typed(i, FieldType.DECIMAL, BigDecimal.class);
  }

  /** @return the i-th field's value, a {@code boolean} field; null when absent */
  public Boolean bool(int i) {
    return typed(i, FieldType.BOOLEAN, Boolean.class);
  }

  /** @return the i-th field's value, an {@code array<string>} field (unmodifiable); null when absent */
  @SuppressWarnings("unchecked")
  public List<String> strings(int i) {
    return typed(i, FieldType.STRINGS, List.class);
  }

  /**
   * @return the index of the named field, for the typed accessors
   * @throws IllegalArgumentException when no field has that name
   */
  public int index(String name) {
    List<DeclaredField> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no declared field '" + name + "'");
  }

  /** The schema fixed each value's type when the record was read: asking for another type is a programming error. */
  private <V> V typed(int i, FieldType expected, Class<V> javaType) {
    DeclaredField field = schema.fields().get(i);
    if (field.type() != expected) {
      throw new IllegalStateException("declared field '" + field.name() + "' is " + field.type().configName() + ", not " + expected.configName());
    }
    return javaType.cast(values.get(i));
  }

  @Override
  public String key() {
    return String.valueOf(values.get(schema.idIndex()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeclaredRecord other && schema.equals(other.schema) && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, values);
  }

  @Override
  public String toString() {
    return schema.encode(this).toString();
  }
}
