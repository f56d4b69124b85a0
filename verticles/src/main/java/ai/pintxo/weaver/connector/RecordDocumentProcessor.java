package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generic processor of a topic of record-class records (a real-time stream's, a REST endpoint's
 * declared by its record class): an upsert of the document {@code key()} of the given type,
 * assigning each record component to the field of the same name, unless {@link VespaField} says
 * otherwise ({@code name}, {@code type}, {@code ifNull}, {@code skip}).
 * Component types map to Vespa field types as: text → string; integral numbers → long;
 * {@code double}/{@code float} → double; {@link BigDecimal}/{@link BigInteger} → string (exact), or
 * double with {@code @VespaField(type = "double")}; boolean → bool; {@code List<String>} → array of
 * string; {@code Map<String, Double>} → map of string to double. Any other type is refused when the
 * processor is built, so a record that cannot be fed is a configuration error, not a dead letter.
 * A record whose key is not a valid document id is refused with a {@link PermanentFailure}.
 *
 * @param <T> the record class
 */
public final class RecordDocumentProcessor<T extends Keyed> implements DocumentProcessor<T> {

  private final Topic<T> topic;
  private final String documentType;
  private final List<Column> columns;

  /**
   * One component as written: how to read it, the field it goes to, and its value when null.
   *
   * @param ifNull the value written for null, already in the component's Java type; null to leave the field out
   */
  private record Column(RecordComponent component, String field, boolean exactAsDouble, Object ifNull) {
  }

  private RecordDocumentProcessor(Topic<T> topic, String documentType) {
    this.topic = topic;
    this.documentType = documentType;
    List<Column> columns = new ArrayList<>();
    for (RecordComponent c : topic.type().getRecordComponents()) {
      VespaField annotation = c.getAnnotation(VespaField.class);
      if (annotation != null && annotation.skip()) {
        continue;
      }
      if (!supported(c.getGenericType())) {
        throw new IllegalArgumentException("component '" + c.getName() + "' of " + topic.type().getName() + " has type "
            + c.getGenericType().getTypeName() + ", which has no Vespa field type here (use text, numbers, boolean, List<String>"
            + " or Map<String, Double>, or mark it @VespaField(skip = true))");
      }
      columns.add(column(c, annotation));
    }
    this.columns = List.copyOf(columns);
  }

  private Column column(RecordComponent c, VespaField annotation) {
    String field = c.getName();
    boolean exactAsDouble = false;
    Object ifNull = null;
    if (annotation != null) {
      String where = "@VespaField of component '" + c.getName() + "' of " + topic.type().getName();
      if (!VespaField.UNSET.equals(annotation.name())) {
        field = annotation.name();
      }
      if (!VespaField.UNSET.equals(annotation.type())) {
        if (!"double".equals(annotation.type()) || (c.getType() != BigDecimal.class && c.getType() != BigInteger.class)) {
          throw new IllegalArgumentException(where + ": type \"" + annotation.type()
              + "\" is not supported (only \"double\", on a BigDecimal or BigInteger)");
        }
        exactAsDouble = true;
      }
      if (!VespaField.UNSET.equals(annotation.ifNull())) {
        ifNull = parse(annotation.ifNull(), c.getType(), where);
      }
    }
    return new Column(c, field, exactAsDouble, ifNull);
  }

  private static Object parse(String text, Class<?> type, String where) {
    try {
      if (type == String.class) {
        return text;
      } else if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
        return Double.valueOf(text);
      } else if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
        return Long.valueOf(text);
      } else if (type == Boolean.class || type == boolean.class) {
        if (!text.equals("true") && !text.equals("false")) {
          throw new NumberFormatException(text);
        }
        return Boolean.valueOf(text);
      } else if (type == BigDecimal.class) {
        return new BigDecimal(text);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": ifNull \"" + text + "\" is not a " + type.getSimpleName());
    }
    throw new IllegalArgumentException(where + ": ifNull is not supported for " + type.getSimpleName());
  }

  /**
   * @throws IllegalArgumentException when the class is missing, not a keyed record, or has a component of an unsupported type
   */
  public static RecordDocumentProcessor<?> of(String topic, String recordClass, String documentType) {
    Class<?> type;
    try {
      type = Class.forName(recordClass, true, RecordDocumentProcessor.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + recordClass + "' not found on the classpath");
    }
    if (!type.isRecord() || !Keyed.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("'" + recordClass + "' must be a record implementing " + Keyed.class.getName());
    }
    return new RecordDocumentProcessor<>(Topic.json(topic, type.asSubclass(Keyed.class)), documentType);
  }

  private static boolean supported(Type type) {
    if (type instanceof Class<?> c) {
      return c == String.class || c == long.class || c == Long.class || c == int.class || c == Integer.class || c == short.class
          || c == Short.class || c == double.class || c == Double.class || c == float.class || c == Float.class
          || c == boolean.class || c == Boolean.class || c == BigDecimal.class || c == BigInteger.class;
    }
    return type instanceof ParameterizedType p && ((p.getRawType() == List.class && p.getActualTypeArguments()[0] == String.class)
        || (p.getRawType() == Map.class && p.getActualTypeArguments()[0] == String.class && p.getActualTypeArguments()[1] == Double.class));
  }

  @Override
  public Topic<T> topic() {
    return topic;
  }

  @Override
  public String documentType() {
    return documentType;
  }

  @Override
  @SuppressWarnings("unchecked")
  public DocumentOperation process(T record) {
    DocumentId id;
    try {
      id = DocumentId.pintxo(documentType, record.key());
    } catch (IllegalArgumentException e) {
      throw refused("its key is not a document id: " + e.getMessage(), e);
    }
    DocumentUpdate.Builder update = DocumentUpdate.upsert(id);
    for (Column column : columns) {
      RecordComponent c = column.component();
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (InvocationTargetException e) {
        // An accessor that throws is a bug in the record class, not bad data: let it surface as one.
        if (e.getCause() instanceof RuntimeException bug) {
          throw bug;
        }
        throw new IllegalStateException("component '" + c.getName() + "' of " + topic.type().getName() + " failed", e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read component '" + c.getName() + "' of " + topic.type().getName(), e);
      }
      String field = column.field();
      if (value == null) {
        value = column.ifNull();
        if (value == null) {
          continue;
        }
      }
      if (value instanceof String s) {
        update.assign(field, s);
      } else if (value instanceof Double || value instanceof Float) {
        update.assign(field, ((Number) value).doubleValue());
      } else if (column.exactAsDouble() && (value instanceof BigDecimal || value instanceof BigInteger)) {
        update.assign(field, ((Number) value).doubleValue());
      } else if (value instanceof BigDecimal b) {
        update.assign(field, b.toPlainString());
      } else if (value instanceof BigInteger b) {
        update.assign(field, b.toString());
      } else if (value instanceof Number n) {
        update.assign(field, n.longValue());
      } else if (value instanceof Boolean b) {
        update.assign(field, b);
      } else if (value instanceof List<?> list) {
        update.assign(field, new ArrayList<>((List<String>) list));
      } else if (value instanceof Map<?, ?> map) {
        update.assignMap(field, (Map<String, Double>) map);
      } else {
        throw refused("component '" + c.getName() + "' has an unsupported value " + value.getClass().getName(), null);
      }
    }
    return update.build();
  }

  /** The connector replaces the topic-only origin with the record's partition and offset when it dead-letters it. */
  private PermanentFailure refused(String message, Throwable cause) {
    return new PermanentFailure(RecordOrigin.source(topic.name()), "process", 0, message, cause);
  }
}
