package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.codecs.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * What an operator set for a pipeline, as the control topic keeps it (key: the pipeline's name).
 *
 * @param pipeline the deployment entry's name
 * @param paused   whether its input is paused in every process of the group
 * @param reason   why, as the operator put it; shown as the units' reason (null when resumed)
 * @param by       who asked: the request's {@code by}, else its remote address, and the process that wrote it
 * @param at       when it was written
 */
public record PipelineState(String pipeline, boolean paused, String reason, String by, Instant at) {

  /** The shared strict mapper, plus ISO-8601 instants (the codecs module carries no java.time module). */
  private static final ObjectMapper MAPPER = Json.mapper().copy().registerModule(new SimpleModule()
      .addSerializer(Instant.class, new JsonSerializer<>() {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
          gen.writeString(value.toString());
        }
      })
      .addDeserializer(Instant.class, new JsonDeserializer<>() {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
          return Instant.parse(p.getValueAsString());
        }
      }));

  public PipelineState {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(at, "at");
  }

  /** @return the reason the board shows for the paused units */
  public String shownReason() {
    return (reason == null || reason.isBlank() ? "paused by operator" : reason) + (by == null ? "" : " (" + by + ")");
  }

  public byte[] encode() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws IOException when the bytes are not a state */
  public static PipelineState decode(byte[] bytes) throws IOException {
    return MAPPER.readValue(bytes, PipelineState.class);
  }

  /** @return the JSON the admin endpoint answers with */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("pipeline", pipeline).put("paused", paused).put("at", at.toString());
    if (reason != null) {
      json.put("reason", reason);
    }
    if (by != null) {
      json.put("by", by);
    }
    return json;
  }
}
