package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.JsonSerde;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.declared.DeclaredRecord;
import ai.pintxo.weaver.codecs.declared.DeclaredSchema;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Binds one item of a response to a record: into a record class with the strict mapper, or by the
 * pointers of declared fields. Either way an item that does not fit is an error naming its field.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface ItemBinder<T> {

  /**
   * @param item   one item of the response
   * @param origin where the response came from, for the error
   * @return its record
   * @throws PayloadDecodeException naming the field that does not fit
   */
  T bind(JsonNode item, RecordOrigin origin);

  /** @return whether items are read with exact decimals (a JSON number 0.10 stays 0.10), for declared decimal fields */
  default boolean exactNumbers() {
    return false;
  }

  /** @return a binder reading items into a record class with the shared strict mapper */
  static <T> ItemBinder<T> of(Class<T> type) {
    ObjectReader reader = Json.mapper().readerFor(type);
    return (item, origin) -> {
      try {
        return reader.treeToValue(item, type);
      } catch (JacksonException e) {
        throw JsonSerde.describe(e, origin, type);
      }
    };
  }

  /** @return a binder reading each declared field at its pointer */
  static ItemBinder<DeclaredRecord> of(DeclaredSchema schema) {
    return new ItemBinder<>() {
      @Override
      public DeclaredRecord bind(JsonNode item, RecordOrigin origin) {
        return schema.read(item, origin);
      }

      @Override
      public boolean exactNumbers() {
        return true;
      }
    };
  }
}
