package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's documents: per document type, user-specified id → fields, sorted for visiting; and
 * when each document was last written (epoch milliseconds, taken as the write is accepted, just before
 * the answer): load tests measure source → Vespa-acknowledgement latency from it.
 */
final class DocumentStore {

  private final Map<String, ConcurrentSkipListMap<String, ObjectNode>> byType = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentHashMap<String, Long>> writtenAt = new ConcurrentHashMap<>();
  private final AtomicLong operations = new AtomicLong();
  private final boolean keep;
  private volatile VespaEmulator.WriteListener listener;

  DocumentStore(boolean keep) {
    this.keep = keep;
  }

  NavigableMap<String, ObjectNode> type(String documentType) {
    return byType.computeIfAbsent(documentType, t -> new ConcurrentSkipListMap<>());
  }

  void listener(VespaEmulator.WriteListener listener) {
    this.listener = listener;
  }

  void put(String documentType, String id, ObjectNode fields) {
    if (keep) {
      type(documentType).put(id, fields);
    }
    operations.incrementAndGet();
    notify(documentType, id, fields);
  }

  /** @return id → epoch milliseconds of its last accepted write, for the type (empty when documents are not kept) */
  Map<String, Long> writtenAt(String documentType) {
    return writtenAt.computeIfAbsent(documentType, t -> new ConcurrentHashMap<>());
  }

  private void notify(String documentType, String id, ObjectNode fields) {
    if (keep) {
      writtenAt(documentType).put(id, System.currentTimeMillis());
    }
    VespaEmulator.WriteListener l = listener;
    if (l != null) {
      l.written(documentType, id, fields);
    }
  }

  /**
   * Applies assigns and other field updates atomically for the document.
   *
   * @return false when the document is missing and not created
   */
  boolean update(String documentType, String id, ObjectNode updates, boolean create, FieldUpdater updater) {
    if (!keep) {
      operations.incrementAndGet();
      notify(documentType, id, updates);
      return true;
    }
    boolean[] applied = {false};
    type(documentType).compute(id, (k, current) -> {
      if (current == null && !create) {
        return null;
      }
      ObjectNode doc = current == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : current.deepCopy();
      updates.fields().forEachRemaining(e -> updater.apply(doc, e.getKey(), e.getValue()));
      applied[0] = true;
      return doc;
    });
    operations.incrementAndGet();
    if (applied[0]) {
      notify(documentType, id, updates);
    }
    return applied[0];
  }

  void remove(String documentType, String id) {
    type(documentType).remove(id);
    operations.incrementAndGet();
  }

  ObjectNode get(String documentType, String id) {
    return type(documentType).get(id);
  }

  /** @return whether documents are kept (false in the benchmark mode, which only counts operations) */
  boolean keeps() {
    return keep;
  }

  long operations() {
    return operations.get();
  }

  void clear() {
    byType.clear();
    writtenAt.clear();
    operations.set(0);
  }

  Map<String, ConcurrentSkipListMap<String, ObjectNode>> all() {
    return byType;
  }

  /** Applies one field operation ({@code assign}, {@code increment}, …) to a document. */
  interface FieldUpdater {
    void apply(ObjectNode document, String field, JsonNode operation);
  }
}
