package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A handler for JSON:API documents ({@code {"data": [...], "included": [...], "links": {"next": ...}}}).
 * A resource's relationships point into {@code included}, which comes after {@code data}, so a page is
 * read whole before its resources are mapped; pages are small (GeckoTerminal: 20 resources) and the
 * poller follows {@code links.next} page by page, so memory stays bounded by one page.
 *
 * <p>Parsing a page is work proportional to the page, so a page above {@link #OFFLOAD_BYTES} is parsed
 * and mapped on a worker thread and its records are handed to the sink on the event loop in batches of
 * {@link #DELIVERY_BATCH}; a smaller page (a millisecond or two of parsing) is read in place.
 *
 * @param <T> the record type
 */
public abstract class JsonApiHandler<T extends Keyed> implements ApiHandler<T> {

  /** Numbers with a fraction as big decimals, not doubles: a decimal attribute sent as a number keeps every digit. */
  private static final com.fasterxml.jackson.databind.ObjectReader EXACT_NUMBERS =
      Json.mapper().reader(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** A page larger than this is refused: JSON:API pages are a few dozen resources. */
  static final int MAX_PAGE_BYTES = 16 << 20;
  /**
   * Pages larger than this (1 MiB) are parsed on a worker: Jackson reads roughly 100–300 MB/s, so a
   * whole page up to this size costs the event loop a few milliseconds, and one of 16 MiB could cost it
   * a good part of a second.
   */
  public static final int OFFLOAD_BYTES = 1 << 20;
  /** Records handed to the sink per event-loop turn after an offloaded parse. */
  static final int DELIVERY_BATCH = 256;

  private final String dataType;
  private final Topic<T> topic;

  protected JsonApiHandler(String dataType, Topic<T> topic) {
    this.dataType = dataType;
    this.topic = topic;
  }

  @Override
  public String dataType() {
    return dataType;
  }

  @Override
  public Topic<T> topic() {
    return topic;
  }

  /**
   * Maps one resource of {@code data} to a record.
   *
   * @param resource the resource ({@code id}, {@code type}, {@code attributes}, {@code relationships})
   * @param included the included resources, to resolve relationships
   * @return the record
   * @throws ResourceException naming the field when the resource does not fit
   */
  protected abstract T map(JsonNode resource, Included included);

  @Override
  public ResponseReader<T> reader(String source) {
    RecordOrigin origin = RecordOrigin.source(source);
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    return new ResponseReader<>() {
      @Override
      public void feed(byte[] chunk, Sink<T> sink) {
        if (page.size() + chunk.length > MAX_PAGE_BYTES) {
          throw new PayloadDecodeException(origin, null, "JSON:API page larger than " + MAX_PAGE_BYTES + " bytes", null);
        }
        page.writeBytes(chunk);
      }

      @Override
      public Optional<String> end(Sink<T> sink) {
        Page page = read(this.page(), origin);
        page.items.forEach(item -> deliver(item, sink));
        return page.next;
      }

      @Override
      public Future<Optional<String>> end(Sink<T> sink, Vertx vertx) {
        if (page.size() <= OFFLOAD_BYTES) {
          return ResponseReader.super.end(sink, vertx);
        }
        Context context = vertx.getOrCreateContext();
        return vertx.executeBlocking(() -> read(page(), origin), false)
            .compose(read -> deliverInBatches(context, read, sink));
      }

      private byte[] page() {
        return page.toByteArray();
      }
    };
  }

  /** A page read and mapped: its items in order (a record or an {@link ParsedResponse.ItemFailure}) and its next link. */
  private static final class Page {
    final List<Object> items;
    final Optional<String> next;

    Page(List<Object> items, Optional<String> next) {
      this.items = items;
      this.next = next;
    }
  }

  @SuppressWarnings("unchecked")
  private void deliver(Object item, ResponseReader.Sink<T> sink) {
    if (item instanceof ParsedResponse.ItemFailure failure) {
      sink.failure(failure);
    } else {
      sink.record((T) item);
    }
  }

  /** Hands the items to the sink on the context, {@link #DELIVERY_BATCH} per turn, so the event loop stays responsive. */
  private Future<Optional<String>> deliverInBatches(Context context, Page page, ResponseReader.Sink<T> sink) {
    Promise<Optional<String>> done = Promise.promise();
    int[] next = {0};
    Runnable[] batch = new Runnable[1];
    batch[0] = () -> {
      int end = Math.min(page.items.size(), next[0] + DELIVERY_BATCH);
      try {
        for (; next[0] < end; next[0]++) {
          deliver(page.items.get(next[0]), sink);
        }
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (end < page.items.size()) {
        context.runOnContext(v -> batch[0].run());
      } else {
        done.complete(page.next);
      }
    };
    context.runOnContext(v -> batch[0].run());
    return done.future();
  }

  /** Parses and maps a whole page; touches nothing but its arguments, so it may run on a worker. */
  private Page read(byte[] body, RecordOrigin origin) {
    if (body.length == 0) {
      throw new PayloadDecodeException(origin, null, "empty response", null);
    }
    JsonNode document;
    try {
      document = EXACT_NUMBERS.readTree(body);
    } catch (JacksonException e) {
      String start = new String(body, 0, Math.min(60, body.length), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
      throw new PayloadDecodeException(origin, null, "response is not complete JSON: " + firstLine(e.getOriginalMessage())
          + "; it starts with '" + start + "'", e);
    } catch (java.io.IOException e) {
      throw new PayloadDecodeException(origin, null, e.getMessage(), e);
    }
    if (document == null || !document.isObject()) {
      throw new PayloadDecodeException(origin, null, "expected a JSON:API document object", null);
    }
    JsonNode data = document.get("data");
    if (data == null || !data.isArray()) {
      throw new PayloadDecodeException(origin, "data", "JSON:API document has no 'data' array", null);
    }
    Included included = Included.of(document.get("included"));
    List<Object> items = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      JsonNode resource = data.get(i);
      try {
        items.add(map(resource, included));
      } catch (ResourceException | IllegalArgumentException e) {
        String field = e instanceof ResourceException r && r.field != null ? "data[" + i + "]." + r.field : "data[" + i + "]";
        items.add(new ParsedResponse.ItemFailure(i, resource.toString().getBytes(StandardCharsets.UTF_8),
            new PayloadDecodeException(origin, field, e.getMessage(), e)));
      }
    }
    JsonNode next = document.path("links").path("next");
    if (!next.isMissingNode() && !next.isNull() && !next.isTextual()) {
      throw new PayloadDecodeException(origin, "links.next", "expected a URL string, got " + next.getNodeType(), null);
    }
    return new Page(items, next.isTextual() && !next.asText().isBlank() ? Optional.of(next.asText()) : Optional.empty());
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }

  /** The {@code included} resources of a document, by type and id. */
  public static final class Included {
    private final Map<String, JsonNode> byTypeAndId;

    private Included(Map<String, JsonNode> byTypeAndId) {
      this.byTypeAndId = byTypeAndId;
    }

    static Included of(JsonNode included) {
      Map<String, JsonNode> map = new HashMap<>();
      if (included != null && included.isArray()) {
        for (JsonNode resource : included) {
          if (resource.path("type").isTextual() && resource.path("id").isTextual()) {
            map.put(resource.get("type").asText() + "\u0000" + resource.get("id").asText(), resource);
          }
        }
      }
      return new Included(map);
    }

    /**
     * Resolves a to-one relationship of a resource.
     *
     * @param resource     the resource holding {@code relationships}
     * @param relationship the relationship name, e.g. {@code base_token}
     * @return the identifier ({@code data}: {@code id}, {@code type}) and, when included, the resource
     * @throws ResourceException when the relationship is malformed
     */
    public Optional<Related> related(JsonNode resource, String relationship) {
      JsonNode data = resource.path("relationships").path(relationship).path("data");
      if (data.isMissingNode() || data.isNull()) {
        return Optional.empty();
      }
      String field = "relationships." + relationship + ".data";
      if (!data.isObject() || !data.path("id").isTextual() || !data.path("type").isTextual()) {
        throw new ResourceException(field, "expected a resource identifier {id, type}, got " + data);
      }
      String id = data.get("id").asText();
      String type = data.get("type").asText();
      return Optional.of(new Related(id, type, Optional.ofNullable(byTypeAndId.get(type + "\u0000" + id))));
    }
  }

  /**
   * A related resource.
   *
   * @param id       its id
   * @param type     its type
   * @param resource the included resource, empty when the document did not include it
   */
  public record Related(String id, String type, Optional<JsonNode> resource) {
  }

  /** A resource that does not fit the record, with the field at fault (relative to the resource). */
  public static final class ResourceException extends RuntimeException {
    final String field;

    public ResourceException(String field, String reason) {
      super(field == null ? reason : "field '" + field + "': " + reason, null, false, false);
      this.field = field;
    }
  }
}
