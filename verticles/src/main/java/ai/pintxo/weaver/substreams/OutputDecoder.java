package ai.pintxo.weaver.substreams;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.List;
import java.util.Optional;

/**
 * Decodes an output module's {@code Any} value. When the strategy knows its output type (a generated
 * class) and the package declares that type with the same fields, the value is parsed with the
 * generated parser; any other type is parsed as a {@link DynamicMessage} with the package's
 * descriptors. Both give the same field values; the generated parser is several times cheaper
 * (no descriptor walk and no field map per message), which matters at tens of thousands of
 * messages per second.
 *
 * <p>Not thread-safe (one per substream, on its event loop).
 */
final class OutputDecoder {

  private final ProtoDescriptors descriptors;
  private final Optional<Message> generated;
  /** The last type URL seen and how to parse it: outputs of a substream are nearly always of one type. */
  private String lastTypeUrl;
  private Descriptor lastType;
  private Parser<? extends Message> lastParser;

  /**
   * @param descriptors the package's types
   * @param generated   the default instance of the generated class the strategy reads, if any
   */
  OutputDecoder(ProtoDescriptors descriptors, Optional<Message> generated) {
    this.descriptors = descriptors;
    this.generated = generated;
  }

  /**
   * @param typeUrl the {@code Any}'s type URL
   * @param value   its bytes
   * @return the decoded message
   * @throws IllegalArgumentException when the package has no type of that URL
   * @throws InvalidProtocolBufferException when the bytes are not a message of that type
   */
  Message decode(String typeUrl, ByteString value) throws InvalidProtocolBufferException {
    if (!typeUrl.equals(lastTypeUrl)) {
      Descriptor type = descriptors.forTypeUrl(typeUrl)
          .orElseThrow(() -> new IllegalArgumentException("output type '" + typeUrl + "' is not among the package's types"));
      lastParser = generated.filter(g -> sameShape(type, g.getDescriptorForType())).<Parser<? extends Message>>map(Message::getParserForType)
          .orElse(null);
      lastType = type;
      lastTypeUrl = typeUrl;
    }
    return lastParser != null ? lastParser.parseFrom(value) : DynamicMessage.parseFrom(lastType, value);
  }

  /** @return whether the generated parser is used for outputs of that type URL (for tests and the start-up log) */
  boolean generatedFor(String typeUrl) {
    Optional<Descriptor> type = descriptors.forTypeUrl(typeUrl);
    return type.isPresent() && generated.isPresent() && sameShape(type.get(), generated.get().getDescriptorForType());
  }

  /**
   * Same full name and, field by field, the same number, name, type and cardinality, down through
   * nested message types: then both parsers read the same bytes into the same values.
   */
  static boolean sameShape(Descriptor a, Descriptor b) {
    return sameShape(a, b, 0);
  }

  private static boolean sameShape(Descriptor a, Descriptor b, int depth) {
    if (!a.getFullName().equals(b.getFullName())) {
      return false;
    }
    if (depth > 16) {
      return true; // recursive types: the names matched all the way down
    }
    List<FieldDescriptor> fa = a.getFields();
    List<FieldDescriptor> fb = b.getFields();
    if (fa.size() != fb.size()) {
      return false;
    }
    for (int i = 0; i < fa.size(); i++) {
      FieldDescriptor x = fa.get(i);
      FieldDescriptor y = b.findFieldByNumber(x.getNumber());
      if (y == null || !x.getName().equals(y.getName()) || x.getType() != y.getType() || x.isRepeated() != y.isRepeated()
          || x.isPacked() != y.isPacked() || x.hasPresence() != y.hasPresence()) {
        return false;
      }
      if (x.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !sameShape(x.getMessageType(), y.getMessageType(), depth + 1)) {
        return false;
      }
      if (x.getJavaType() == FieldDescriptor.JavaType.ENUM && !x.getEnumType().getFullName().equals(y.getEnumType().getFullName())) {
        return false;
      }
    }
    return true;
  }
}
