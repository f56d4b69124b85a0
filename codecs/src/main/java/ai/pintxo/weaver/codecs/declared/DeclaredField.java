package ai.pintxo.weaver.codecs.declared;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Objects;

/**
 * One configured field: where it is in an item of the source's JSON, its name (in the record, on
 * the topic and in the Vespa document) and its type.
 *
 * @param pointer JSON pointer into one item, e.g. {@code /stats/price}
 * @param name    the field's name
 * @param type    its type
 */
public record DeclaredField(JsonPointer pointer, String name, FieldType type) {

  public DeclaredField {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(type, "type");
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("field name '" + name + "' is not a Vespa field name (letters, digits, '_')");
    }
  }

  /**
   * @param pointer a JSON pointer, e.g. {@code /stats/price}
   * @param name    the field's name; null for the pointer's last segment
   * @param type    a type name ({@link FieldType#named})
   * @throws IllegalArgumentException for a malformed pointer, a bad name or an unknown type
   */
  public static DeclaredField of(String pointer, String name, String type) {
    JsonPointer compiled;
    try {
      compiled = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a JSON pointer: '" + pointer + "' (it starts with '/', e.g. /stats/price)");
    }
    if (compiled.matches()) {
      throw new IllegalArgumentException("the pointer '' is the whole item, not a field of it");
    }
    return new DeclaredField(compiled, name == null ? compiled.last().getMatchingProperty() : name, FieldType.named(type));
  }
}
