package ai.pintxo.weaver.substreams;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a decoded message by field name, for strategies that work on the package's own
 * types. A missing field or one of another type is an {@link IllegalArgumentException} naming it.
 */
public final class MessageFields {

  private MessageFields() {
  }

  /** @return the elements of a repeated message field */
  public static List<Message> messages(Message m, String field) {
    FieldDescriptor f = field(m, field);
    if (!f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      throw wrongType(m, f, "a repeated message");
    }
    int n = m.getRepeatedFieldCount(f);
    List<Message> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add((Message) m.getRepeatedField(f, i));
    }
    return out;
  }

  /** @return a string field's value ({@code ""} when unset, as proto3 has it) */
  public static String string(Message m, String field) {
    FieldDescriptor f = field(m, field);
    if (f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.STRING) {
      throw wrongType(m, f, "a string");
    }
    return (String) m.getField(f);
  }

  private static FieldDescriptor field(Message m, String field) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
    if (f == null) {
      throw new IllegalArgumentException(m.getDescriptorForType().getFullName() + " has no field '" + field + "'");
    }
    return f;
  }

  private static IllegalArgumentException wrongType(Message m, FieldDescriptor f, String expected) {
    return new IllegalArgumentException("field '" + f.getName() + "' of " + m.getDescriptorForType().getFullName() + " is "
        + (f.isRepeated() ? "repeated " : "") + f.getJavaType().name().toLowerCase() + ", expected " + expected);
  }
}
