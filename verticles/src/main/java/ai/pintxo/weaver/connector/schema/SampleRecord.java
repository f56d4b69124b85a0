package ai.pintxo.weaver.connector.schema;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record with every component filled, built by reflection from its canonical constructor: text
 * {@code "1"}, numbers 1, lists and maps of one sample element, nested records filled the same way.
 * No component is null, so a processor run on it writes every field it can write (a null leaves a
 * field out of an update). Booleans are tried {@code false} first, then {@code true}, for records
 * whose constructor refuses one combination (e.g. a "bare zero" flag with amounts).
 */
public final class SampleRecord {

  private SampleRecord() {
  }

  /**
   * @param type a record class
   * @return an instance with every component set
   * @throws IllegalArgumentException when the class is not a record or no sample satisfies its constructor
   */
  public static <T> T of(Class<T> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    try {
      return type.cast(build(type, false));
    } catch (IllegalArgumentException first) {
      try {
        return type.cast(build(type, true));
      } catch (IllegalArgumentException second) {
        first.addSuppressed(second);
        throw first;
      }
    }
  }

  private static Object build(Class<?> type, boolean flag) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = value(components[i].getGenericType(), flag);
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("no sample of " + type.getName() + ": its constructor refused one: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("no sample of " + type.getName() + ": " + e, e);
    }
  }

  private static Object value(Type type, boolean flag) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return List.of(value(args[0], flag));
      }
      if (Map.class.isAssignableFrom(raw)) {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(value(args[0], flag), value(args[1], flag));
        return map;
      }
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalArgumentException("no sample value for type " + type.getTypeName());
    }
    if (c == String.class) {
      return "1";
    }
    if (c == long.class || c == Long.class) {
      return 1L;
    }
    if (c == int.class || c == Integer.class) {
      return 1;
    }
    if (c == short.class || c == Short.class) {
      return (short) 1;
    }
    if (c == double.class || c == Double.class) {
      return 1.0;
    }
    if (c == float.class || c == Float.class) {
      return 1.0f;
    }
    if (c == boolean.class || c == Boolean.class) {
      return flag;
    }
    if (c == BigDecimal.class) {
      return BigDecimal.ONE;
    }
    if (c == BigInteger.class) {
      return BigInteger.ONE;
    }
    if (c == Instant.class) {
      return Instant.EPOCH;
    }
    if (c.isEnum() && c.getEnumConstants().length > 0) {
      return c.getEnumConstants()[0];
    }
    if (c.isRecord()) {
      return build(c, flag);
    }
    throw new IllegalArgumentException("no sample value for type " + c.getName());
  }
}
