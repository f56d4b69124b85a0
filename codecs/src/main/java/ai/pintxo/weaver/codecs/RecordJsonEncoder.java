package ai.pintxo.weaver.codecs;

import ai.pintxo.weaver.codecs.vespa.JsonBytes;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a record of plain components (strings, numbers, booleans, {@link BigDecimal}) as the exact
 * bytes {@link Json#mapper()} writes for it, without Jackson's generator: for records produced at the
 * pipeline's full rate (Substreams metrics, prices) Jackson's encoding was the largest part of the
 * CPU profile. The properties, their names and their order are taken from Jackson's own serializer
 * for the type, once; a type whose output anything else could change (other Jackson annotations,
 * mix-ins, components of other types, generator features this writer does not follow) gets no
 * encoder and stays with Jackson. {@code RecordJsonEncoderTest} compares both byte for byte.
 *
 * @param <T> the record type
 */
public final class RecordJsonEncoder<T> {

  /** Jackson annotations that do not change what is written (or whose effect shows in the serializer's properties). */
  private static final Set<Class<? extends Annotation>> NEUTRAL = Set.of(JsonProperty.class, JsonAlias.class,
      JsonDeserialize.class, JsonCreator.class);
  /** Strings Jackson escapes in ways a writer could differ on: controls, surrogates, non-ASCII, slash, quote. */
  private static final String PROBE = "\u0000\u001f\b\t\n\f\r\"\\/\u007f\u00e9\u2028\uD83D\uDE00\uDE00x\uD83D";
  /** One buffer per thread: records are encoded on event loops and producer threads, never re-entrantly. */
  private static final ThreadLocal<JsonBytes> BUFFER = ThreadLocal.withInitial(() -> new JsonBytes(512));

  private final Property[] properties;
  private final boolean fastDoubles;

  private RecordJsonEncoder(Property[] properties, boolean fastDoubles) {
    this.properties = properties;
    this.fastDoubles = fastDoubles;
  }

  /**
   * @param type   the record type
   * @param mapper the mapper whose output must be matched
   * @return the encoder, or empty when the type (or the mapper's configuration) needs Jackson
   */
  public static <T> Optional<RecordJsonEncoder<T>> forType(Class<T> type, ObjectMapper mapper) {
    try {
      if (!type.isRecord() || !plainMapper(mapper) || !neutralAnnotations(type)) {
        return Optional.empty();
      }
      JsonSerializer<Object> serializer = mapper.getSerializerProviderInstance().findValueSerializer(type);
      if (serializer.getClass() != BeanSerializer.class || serializer.usesObjectId()) {
        return Optional.empty();
      }
      List<Property> properties = new ArrayList<>();
      for (Iterator<PropertyWriter> it = serializer.properties(); it.hasNext(); ) {
        Property property = property(type, it.next(), mapper);
        if (property == null) {
          return Optional.empty();
        }
        properties.add(property);
      }
      boolean fast = mapper.getFactory().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
      return Optional.of(new RecordJsonEncoder<>(properties.toArray(Property[]::new), fast));
    } catch (Exception | LinkageError e) {
      return Optional.empty(); // anything unexpected in the introspection: Jackson stays in charge
    }
  }

  /**
   * @param value the record
   * @return its JSON, or null when a value needs Jackson (a {@link BigDecimal} whose plain text Jackson refuses)
   */
  public byte[] encode(T value) {
    JsonBytes out = BUFFER.get().reset();
    out.raw('{');
    boolean first = true;
    try {
      for (Property property : properties) {
        int state = property.write(value, out, first, fastDoubles);
        if (state == NEEDS_JACKSON) {
          return null;
        }
        first &= state == SKIPPED;
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    out.raw('}');
    byte[] bytes = out.toByteArray();
    if (out.array().length > 64 * 1024) {
      BUFFER.remove(); // an outsized record must not pin its buffer on the thread
    }
    return bytes;
  }

  /** @return the JSON property names, in the order written */
  public List<String> propertyNames() {
    return Arrays.stream(properties).map(p -> p.name).toList();
  }

  private static boolean plainMapper(ObjectMapper mapper) throws Exception {
    if (mapper.mixInCount() != 0 || mapper.isEnabled(SerializationFeature.INDENT_OUTPUT)
        || mapper.isEnabled(SerializationFeature.WRAP_ROOT_VALUE)
        || mapper.getSerializationConfig().getDefaultPropertyInclusion().getValueInclusion() != JsonInclude.Include.NON_NULL) {
      return false;
    }
    // Escaping, hex case, surrogates, non-finite doubles: the mapper's generator must spell them as this writer does.
    JsonBytes probe = new JsonBytes(128).raw('[').jacksonString(PROBE).raw(",\"NaN\",\"-Infinity\",")
        .number(Long.MIN_VALUE).raw(',').number(-7L).raw(",1.0E21,true]");
    Object[] values = {PROBE, Double.NaN, Double.NEGATIVE_INFINITY, Long.MIN_VALUE, -7L, 1.0E21, true};
    return Arrays.equals(mapper.writeValueAsBytes(values), probe.toByteArray());
  }

  private static boolean neutralAnnotations(Class<?> type) {
    List<AnnotatedElement> elements = new ArrayList<>();
    elements.add(type);
    elements.addAll(Arrays.asList(type.getDeclaredFields()));
    elements.addAll(Arrays.asList(type.getDeclaredMethods()));
    elements.addAll(Arrays.asList(type.getRecordComponents()));
    for (var constructor : type.getDeclaredConstructors()) {
      elements.add(constructor);
      elements.addAll(Arrays.asList(constructor.getParameters()));
    }
    for (Class<?> i : type.getInterfaces()) {
      elements.add(i);
      elements.addAll(Arrays.asList(i.getMethods()));
    }
    for (AnnotatedElement element : elements) {
      for (Annotation annotation : element.getDeclaredAnnotations()) {
        Class<? extends Annotation> kind = annotation.annotationType();
        boolean jackson = kind.getName().startsWith("com.fasterxml.jackson.") || kind.isAnnotationPresent(
            com.fasterxml.jackson.annotation.JacksonAnnotationsInside.class);
        if (jackson && !NEUTRAL.contains(kind)) {
          return false;
        }
      }
    }
    return true;
  }

  private static Property property(Class<?> type, PropertyWriter writer, ObjectMapper mapper) throws Exception {
    if (writer.getClass() != BeanPropertyWriter.class) {
      return null;
    }
    BeanPropertyWriter bean = (BeanPropertyWriter) writer;
    if (bean.getViews() != null || !bean.willSuppressNulls()) {
      return null;
    }
    AnnotatedMember member = bean.getMember();
    for (RecordComponent component : type.getRecordComponents()) {
      Method accessor = component.getAccessor();
      boolean same = member instanceof AnnotatedMethod method ? method.getAnnotated().equals(accessor)
          : member.getName().equals(component.getName()) && member.getDeclaringClass() == type;
      if (same) {
        Kind kind = Kind.of(component.getType());
        // Jackson assigns the serializers of final types up front: it must be the plain one for the type, not a custom one.
        if (kind == null || bean.hasSerializer() && bean.getSerializer().getClass()
            != mapper.getSerializerProviderInstance().findValueSerializer(component.getType()).getClass()) {
          return null;
        }
        accessor.setAccessible(true);
        MethodHandle handle = MethodHandles.lookup().unreflect(accessor);
        return new Property(bean.getName(), kind, handle.asType(MethodType.methodType(kind.carrier, Object.class)));
      }
    }
    return null;
  }

  private static final int WRITTEN = 0;
  private static final int SKIPPED = 1;
  private static final int NEEDS_JACKSON = 2;

  /** The component types written here, and the type their accessor is invoked as. */
  private enum Kind {
    STRING(String.class, String.class), LONG(long.class, long.class), INT(int.class, int.class), DOUBLE(double.class, double.class),
    BOOLEAN(boolean.class, boolean.class), LONG_BOX(Long.class, Object.class), INT_BOX(Integer.class, Object.class),
    DOUBLE_BOX(Double.class, Object.class), BOOLEAN_BOX(Boolean.class, Object.class), DECIMAL(BigDecimal.class, Object.class);

    /** The component type this kind writes. */
    final Class<?> type;
    /** What its accessor handle returns: the primitive itself, so that it is not boxed. */
    final Class<?> carrier;

    Kind(Class<?> type, Class<?> carrier) {
      this.type = type;
      this.carrier = carrier;
    }

    /** @return the kind of a component type, null when this encoder does not write it */
    static Kind of(Class<?> type) {
      for (Kind kind : values()) {
        if (kind.type == type) {
          return kind;
        }
      }
      return null;
    }
  }

  /** One property: its pre-encoded name and the accessor, typed so primitives are not boxed. */
  private static final class Property {
    final String name;
    final byte[] first;
    final byte[] next;
    final Kind kind;
    final MethodHandle accessor;

    Property(String name, Kind kind, MethodHandle accessor) {
      this.name = name;
      this.kind = kind;
      this.accessor = accessor;
      byte[] quoted = new JsonBytes(name.length() + 8).jacksonString(name).raw(':').toByteArray();
      this.first = quoted;
      this.next = new JsonBytes(quoted.length + 1).raw(',').raw(quoted).toByteArray();
    }

    int write(Object record, JsonBytes out, boolean isFirst, boolean fastDoubles) throws Throwable {
      switch (kind) {
        case STRING -> {
          String v = (String) accessor.invokeExact(record);
          if (v == null) {
            return SKIPPED;
          }
          name(out, isFirst).jacksonString(v);
        }
        case LONG -> name(out, isFirst).number((long) accessor.invokeExact(record));
        case INT -> name(out, isFirst).number((long) (int) accessor.invokeExact(record));
        case DOUBLE -> number(name(out, isFirst), (double) accessor.invokeExact(record), fastDoubles);
        case BOOLEAN -> name(out, isFirst).bool((boolean) accessor.invokeExact(record));
        default -> {
          Object v = (Object) accessor.invokeExact(record);
          if (v == null) {
            return SKIPPED;
          }
          if (v instanceof BigDecimal decimal) {
            int scale = decimal.scale();
            if (scale < -9999 || scale > 9999) {
              return NEEDS_JACKSON; // Jackson refuses these as plain text, with its own error
            }
            name(out, isFirst).raw(decimal.toPlainString());
          } else if (v instanceof Double d) {
            number(name(out, isFirst), d, fastDoubles);
          } else if (v instanceof Boolean b) {
            name(out, isFirst).bool(b);
          } else {
            name(out, isFirst).number(((Number) v).longValue());
          }
        }
      }
      return WRITTEN;
    }

    private JsonBytes name(JsonBytes out, boolean isFirst) {
      return out.raw(isFirst ? first : next);
    }

    /** As Jackson's generator: the same text, and NaN and the infinities quoted (its default). */
    private static void number(JsonBytes out, double d, boolean fast) {
      String text = NumberOutput.toString(d, fast);
      if (Double.isFinite(d)) {
        out.raw(text);
      } else {
        out.raw('"').raw(text).raw('"');
      }
    }
  }
}
