package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.realtime.RecordMapping;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body read into typed records, all or nothing: one JSON object, a JSON array of them, or
 * NDJSON (one object per line, blank lines skipped). Each item goes through the stream's
 * {@link RecordMapping}, the same strict decoding as a real-time stream's events; every item that does
 * not fit is listed with its index and field, and then no record is kept at all. Pure and thread-safe:
 * large bodies are read on a worker.
 *
 * @param records the records, in request order; empty when there are errors
 * @param errors  the refused items, at most {@link #MAX_ERRORS}
 * @param more    refused items beyond those listed
 * @param <T>     the stream's record class
 */
record IngestBody<T extends Keyed>(List<T> records, List<FieldError> errors, int more) {

  /** Enough to fix a request; a million bad lines do not become a million-line answer. */
  static final int MAX_ERRORS = 100;

  /**
   * @param body    the request body
   * @param ndjson  whether it is NDJSON (else JSON)
   * @param mapping the stream's record mapping
   * @param stream  the stream's name, for the decoder's messages
   * @return the records, or the errors
   */
  static <T extends Keyed> IngestBody<T> read(Buffer body, boolean ndjson, RecordMapping<T> mapping, String stream) {
    Reader<T> reader = new Reader<>(mapping, stream);
    byte[] bytes = body.getBytes();
    if (ndjson) {
      int item = 0;
      int start = 0;
      for (int i = 0; i <= bytes.length; i++) {
        if (i == bytes.length || bytes[i] == '\n') {
          if (!blank(bytes, start, i)) {
            reader.item(item, parse(bytes, start, i - start, reader, item));
            item++;
          }
          start = i + 1;
        }
      }
      if (item == 0) {
        reader.error(new FieldError(-1, null, "empty body: one JSON object per line expected"));
      }
    } else if (blank(bytes, 0, bytes.length)) {
      reader.error(new FieldError(-1, null, "empty body: a JSON object or an array of them expected"));
    } else {
      JsonNode root = parse(bytes, 0, bytes.length, reader, -1);
      if (root != null && root.isArray()) {
        for (int i = 0; i < root.size(); i++) {
          reader.item(i, root.get(i));
        }
      } else if (root != null && root.isObject()) {
        reader.item(0, root);
      } else if (root != null) {
        reader.error(new FieldError(-1, null, "expected a JSON object or an array of them, got " + root.getNodeType().name().toLowerCase()));
      }
    }
    return reader.result();
  }

  private static JsonNode parse(byte[] bytes, int offset, int length, Reader<?> reader, int item) {
    try {
      return Json.mapper().readTree(bytes, offset, length);
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      reader.error(new FieldError(item, null, "not JSON: " + message));
      return null;
    }
  }

  private static boolean blank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  /** Collects records and errors while the body is read. */
  private static final class Reader<T extends Keyed> {
    private final RecordMapping<T> mapping;
    private final String stream;
    private final List<T> records = new ArrayList<>();
    private final List<FieldError> errors = new ArrayList<>();
    private int more;

    Reader(RecordMapping<T> mapping, String stream) {
      this.mapping = mapping;
      this.stream = stream;
    }

    void item(int index, JsonNode node) {
      if (node == null) {
        return; // not JSON: the error is listed already
      }
      try {
        T record = mapping.read(node, stream);
        if (errors.isEmpty()) {
          records.add(record);
        }
      } catch (PayloadDecodeException e) {
        error(new FieldError(index, e.field().orElse(null), e.reason()));
      }
    }

    void error(FieldError error) {
      records.clear();
      if (errors.size() < MAX_ERRORS) {
        errors.add(error);
      } else {
        more++;
      }
    }

    IngestBody<T> result() {
      return new IngestBody<>(errors.isEmpty() ? List.copyOf(records) : List.of(), List.copyOf(errors), more);
    }
  }
}
