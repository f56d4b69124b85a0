package ai.pintxo.weaver.codecs.declared;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Serde;
import ai.pintxo.weaver.codecs.StringSerde;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Declared records on a topic: a JSON object of field name → value, decimals as exact strings. */
public final class DeclaredSerde implements Serde<DeclaredRecord> {

  private final DeclaredSchema schema;

  public DeclaredSerde(DeclaredSchema schema) {
    this.schema = schema;
  }

  /** @return a topic of records of this schema, keyed by their id */
  public static Topic<DeclaredRecord> topic(String name, DeclaredSchema schema) {
    return new Topic<>(name, DeclaredRecord.class, StringSerde.INSTANCE, new DeclaredSerde(schema));
  }

  @Override
  public byte[] encode(DeclaredRecord value) {
    try {
      return Json.mapper().writeValueAsBytes(schema.encode(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a declared record: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public DeclaredRecord decode(byte[] bytes, RecordOrigin origin) {
    if (bytes == null || bytes.length == 0) {
      throw new PayloadDecodeException(origin, null, "empty payload, expected a JSON object", null);
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new PayloadDecodeException(origin, null, "not JSON: " + e.getMessage(), e);
    }
    return schema.decode(tree, origin);
  }
}
