package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a JSON array of items, bare or in an envelope field, from a body fed in chunks, with
 * Jackson's non-blocking parser: only the item being read is held (as tokens), so memory does not
 * grow with the response. Fields of the envelope other than the array are skipped without being
 * kept. Not thread-safe.
 *
 * @param <T> the record type
 */
final class StreamingArrayReader<T> implements ResponseReader<T> {

  private static final int PREVIEW_BYTES = 60;

  private enum State { START, ENVELOPE, ARRAY, AFTER_ARRAY, DONE }

  private final ItemBinder<T> binder;
  private final String envelopeField;
  private final RecordOrigin origin;
  /** Reads one item of the array as a tree; the trailing-token check belongs to whole documents. */
  private final ObjectReader itemReader;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private State state = State.START;
  /** Nesting depth of the envelope while skipping its other fields. */
  private int depth;
  private boolean skipping;
  private boolean arrayNext;
  private TokenBuffer item;
  private int itemDepth;
  private int index;
  private byte[] head = new byte[0];

  StreamingArrayReader(ItemBinder<T> binder, String envelopeField, String source) {
    this.binder = binder;
    ObjectReader items = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // Exact: a decimal number keeps its digits, trailing zeros included (0.10 stays 0.10), from token to tree.
    this.itemReader = binder.exactNumbers()
        ? items.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        : items;
    this.envelopeField = envelopeField;
    this.origin = RecordOrigin.source(source);
    try {
      this.parser = Json.mapper().getFactory().createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  @Override
  public void feed(byte[] chunk, Sink<T> sink) {
    if (chunk.length == 0) {
      return;
    }
    if (head.length < PREVIEW_BYTES) {
      int n = Math.min(PREVIEW_BYTES - head.length, chunk.length);
      head = Arrays.copyOf(head, head.length + n);
      System.arraycopy(chunk, 0, head, head.length - n, n);
    }
    try {
      feeder.feedInput(chunk, 0, chunk.length);
    } catch (IOException e) {
      throw incomplete(e);
    }
    drain(sink);
  }

  @Override
  public Optional<String> end(Sink<T> sink) {
    feeder.endOfInput();
    drain(sink);
    if (state == State.START) {
      throw new PayloadDecodeException(origin, null, "empty response", null);
    }
    if (state != State.DONE) {
      throw new PayloadDecodeException(origin, null, "response is not complete JSON: it ends inside the "
          + (state == State.ARRAY ? "array, after " + index + " items" : "envelope") + "; it starts with '" + preview() + "'", null);
    }
    return Optional.empty();
  }

  private void drain(Sink<T> sink) {
    try {
      for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = parser.nextToken()) {
        handle(t, sink);
      }
    } catch (JacksonException e) {
      throw incomplete(e);
    } catch (IOException e) {
      throw new PayloadDecodeException(origin, null, e.getMessage(), e);
    }
  }

  private void handle(JsonToken t, Sink<T> sink) throws IOException {
    switch (state) {
      case START -> {
        if (envelopeField != null) {
          expect(t, JsonToken.START_OBJECT);
          state = State.ENVELOPE;
          depth = 1;
        } else {
          expect(t, JsonToken.START_ARRAY);
          state = State.ARRAY;
        }
      }
      case ENVELOPE, AFTER_ARRAY -> envelope(t);
      case ARRAY -> array(t, sink);
      case DONE -> throw new PayloadDecodeException(origin, null, "unexpected content after the "
          + (envelopeField == null ? "array" : "response object"), null);
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void envelope(JsonToken t) {
    if (skipping) {
      if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd()) {
        depth--;
      }
      skipping = depth > 1;
      return;
    }
    if (arrayNext) {
      expect(t, JsonToken.START_ARRAY);
      arrayNext = false;
      state = State.ARRAY;
      return;
    }
    if (t == JsonToken.FIELD_NAME) {
      try {
        if (state == State.ENVELOPE && envelopeField.equals(parser.currentName())) {
          arrayNext = true;
        } else {
          skipping = true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else if (t == JsonToken.END_OBJECT) {
      if (state == State.ENVELOPE) {
        throw new PayloadDecodeException(origin, envelopeField, "response object has no '" + envelopeField + "' array", null);
      }
      state = State.DONE;
    }
  }

  private void array(JsonToken t, Sink<T> sink) throws IOException {
    if (item == null) {
      if (t == JsonToken.END_ARRAY) {
        state = envelopeField == null ? State.DONE : State.AFTER_ARRAY;
        return;
      }
      item = new TokenBuffer(parser).forceUseOfBigDecimal(binder.exactNumbers());
      itemDepth = 0;
    }
    item.copyCurrentEvent(parser);
    if (t.isStructStart()) {
      itemDepth++;
    } else if (t.isStructEnd()) {
      itemDepth--;
    }
    if (itemDepth == 0) {
      TokenBuffer complete = item;
      item = null;
      bind(complete, sink);
    }
  }

  private void bind(TokenBuffer tokens, Sink<T> sink) throws IOException {
    int i = index++;
    JsonNode node;
    try (JsonParser p = tokens.asParser(Json.mapper())) {
      node = itemReader.readTree(p);
    }
    T record;
    try {
      record = binder.bind(node, origin);
    } catch (PayloadDecodeException error) {
      String field = envelopeField == null ? "[" + i + "]" : envelopeField + "[" + i + "]";
      String inner = error.field().map(f -> f.startsWith("/") ? f : "." + f).orElse("");
      sink.failure(new ParsedResponse.ItemFailure(i, node.toString().getBytes(StandardCharsets.UTF_8),
          new PayloadDecodeException(origin, field + inner, error.reason(), error)));
      return;
    }
    sink.record(record);
  }

  private void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new PayloadDecodeException(origin, envelopeField,
          "expected " + (expected == JsonToken.START_ARRAY ? "an array" : "an object") + ", got " + actual, null);
    }
  }

  private PayloadDecodeException incomplete(IOException e) {
    String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    long offset = e instanceof JacksonException j && j.getLocation() != null ? j.getLocation().getByteOffset() : -1;
    return new PayloadDecodeException(origin, null, "response is not complete JSON: " + firstLine(message)
        + (offset >= 0 ? " at byte " + offset : "") + "; it starts with '" + preview() + "'", e);
  }

  private String preview() {
    String s = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return head.length >= PREVIEW_BYTES ? s + "…" : s;
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }
}
