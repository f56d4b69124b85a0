package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.declared.DeclaredField;
import ai.pintxo.weaver.codecs.declared.DeclaredSchema;
import ai.pintxo.weaver.codecs.declared.DeclaredSerde;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a configured source's records are and which Vespa documents they become, with no class but
 * the record's: either a record class ({@code recordClass}, a Java record implementing {@link Keyed})
 * or declared fields ({@code fields}: JSON pointer → type, and {@code idField}), plus the
 * {@code documentType} they are fed to. A REST endpoint, a built-in data type and the connector's
 * {@code records} entries all say it with the same keys ({@link Keys}), so the source and the
 * connector build the same topic type and the generic processor from one description.
 *
 * @param recordClass  the record class, or null for declared fields
 * @param schema       the declared fields, or null for a record class
 * @param documentType the Vespa document type, or null when an installed processor feeds the topic
 */
public record RecordShape(String recordClass, DeclaredSchema schema, String documentType) {

  /** @return the topic of these records, with their type and serde */
  public Topic<? extends Keyed> topic(String name) {
    if (schema != null) {
      return DeclaredSerde.topic(name, schema);
    }
    return Topic.json(name, recordType(recordClass));
  }

  /**
   * @return the generic processor writing these records to {@link #documentType}
   * @throws IllegalArgumentException when the record class does not qualify
   */
  public DocumentProcessor<?> processor(String topic) {
    if (documentType == null) {
      throw new IllegalStateException("no document type");
    }
    return schema != null ? new DeclaredDocumentProcessor(topic, schema, documentType)
        : RecordDocumentProcessor.of(topic, recordClass, documentType);
  }

  /**
   * @throws IllegalArgumentException when the class is missing or not a record implementing {@link Keyed}
   */
  static Class<? extends Keyed> recordType(String recordClass) {
    Class<?> type;
    try {
      type = Class.forName(recordClass, true, RecordShape.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + recordClass + "' not found on the classpath");
    }
    if (!type.isRecord() || !Keyed.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("'" + recordClass + "' must be a record implementing " + Keyed.class.getName()
          + " (its key() is the Kafka key and the Vespa document id)");
    }
    return type.asSubclass(Keyed.class);
  }

  /** The keys of a record shape, declared once into each spec that has them. */
  public static final class Keys {

    private final Option<String> recordClass;
    private final Option<JsonObject> fields;
    private final Option<String> idField;
    private final Option<String> documentType;

    public Keys(OptionSpec<?> spec) {
      recordClass = spec.optional("recordClass", OptionTypes.nonBlank(),
          "the record class (a Java record implementing Keyed); or declare fields instead");
      fields = spec.optional("fields", OptionTypes.jsonObject(),
          "declared fields instead of a record class: JSON pointer → type (string, long, double, decimal, boolean,"
              + " array<string>) or {\"name\": ..., \"type\": ...}; the name defaults to the pointer's last segment");
      idField = spec.optional("idField", OptionTypes.nonBlank(), "with fields: the field holding the document id (string or long)");
      documentType = spec.optional("documentType", OptionTypes.nonBlank(),
          "the Vespa document type the records are fed to by the generic processor");
    }

    /**
     * @return the shape the options declare, null when they declare neither a record class nor fields
     * @throws ConfigException naming the bad key: both or neither of class and fields where needed,
     *     a class that does not qualify, an unknown type, a bad pointer, a missing id field
     */
    public RecordShape read(Options<?> o) {
      String cls = o.get(recordClass);
      JsonObject declared = o.get(fields);
      String id = o.get(idField);
      if (cls != null && declared != null) {
        throw new ConfigException(o.key("fields"), "set either recordClass or fields, not both");
      }
      if (cls == null && declared == null) {
        if (id != null) {
          throw new ConfigException(o.key("idField"), "idField goes with fields");
        }
        return null;
      }
      if (cls != null) {
        if (id != null) {
          throw new ConfigException(o.key("idField"), "a record class's key() is the id; idField goes with fields");
        }
        try {
          recordType(cls);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(o.key("recordClass"), e.getMessage());
        }
        return new RecordShape(cls, null, o.get(documentType));
      }
      return new RecordShape(null, schema(o, declared, id), o.get(documentType));
    }

    private static DeclaredSchema schema(Options<?> o, JsonObject declared, String id) {
      List<DeclaredField> list = new ArrayList<>();
      for (String pointer : declared.fieldNames()) {
        String key = o.key("fields") + "[\"" + pointer + "\"]";
        Object spec = declared.getValue(pointer);
        String name = null;
        String type;
        if (spec instanceof String s) {
          type = s;
        } else if (spec instanceof JsonObject f) {
          for (String k : f.fieldNames()) {
            if (!k.equals("name") && !k.equals("type")) {
              throw new ConfigException(key + "." + k, "unknown key (a field has name and type)");
            }
          }
          if (!(f.getValue("type") instanceof String t)) {
            throw new ConfigException(key + ".type", "required: string, long, double, decimal, boolean or array<string>");
          }
          type = t;
          if (f.getValue("name") != null && !(f.getValue("name") instanceof String)) {
            throw new ConfigException(key + ".name", "expected a string");
          }
          name = f.getString("name");
        } else {
          throw new ConfigException(key, "expected a type name or {\"name\": ..., \"type\": ...}");
        }
        try {
          list.add(DeclaredField.of(pointer, name, type));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, e.getMessage());
        }
      }
      if (id == null) {
        throw new ConfigException(o.key("idField"), "required with fields: the field holding the document id");
      }
      try {
        return new DeclaredSchema(list, id);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage().startsWith("id field") ? o.key("idField") : o.key("fields"), e.getMessage());
      }
    }

    /** Sets the keys of options of that spec. */
    public void write(Options<?> o, String recordClassValue, JsonObject fieldsValue, String idFieldValue, String documentTypeValue) {
      o.set(recordClass, recordClassValue);
      o.set(fields, fieldsValue);
      o.set(idField, idFieldValue);
      o.set(documentType, documentTypeValue);
    }

    /** Copies the keys from options of one spec having them to options of another. */
    public void copy(Keys from, Options<?> source, Options<?> target) {
      write(target, source.get(from.recordClass), source.get(from.fields), source.get(from.idField), source.get(from.documentType));
    }

    /** @return the declared document type, null when not set */
    public String documentType(Options<?> o) {
      return o.get(documentType);
    }
  }
}
