package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.codecs.vespa.FieldValue;
import ai.pintxo.weaver.connector.DocumentProcessor;
import ai.pintxo.weaver.connector.DocumentProcessors;
import ai.pintxo.weaver.poller.ApiHandler;
import ai.pintxo.weaver.poller.ApiHandlers;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations a feed benchmark sends: updates with the realistic field mix of the weaver's
 * document types (tokens, protocols, chains, bridges, stablecoins, pools, in the proportions of the
 * real APIs), made by the real handlers and processors from generated payloads, written as a Vespa
 * JSONL feed file that every client reads before its timed run.
 */
public final class FeedOperations {

  private FeedOperations() {
  }

  /**
   * Writes {@code count} update operations. Beyond one cycle of the generated payloads (31,353
   * documents), the same records come again under new ids.
   */
  public static void write(Path file, int count, long seed) throws IOException {
    List<DocumentUpdate> cycle = oneCycle(seed);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        DocumentUpdate op = cycle.get(i % cycle.size());
        int round = i / cycle.size();
        if (round > 0) {
          DocumentId id = op.id();
          op = new DocumentUpdate(new DocumentId(id.namespace(), id.documentType(), id.userSpecific() + "#" + round), op.assigns(), true);
        }
        String body = new String(DocumentJson.body(op), StandardCharsets.UTF_8);
        out.write("{\"update\":");
        out.write(Json.mapper().writeValueAsString(op.id().toString()));
        out.write(",\"create\":true,");
        out.write(body, 1, body.length() - 1);
        out.write('\n');
      }
    }
  }

  /** Reads a feed file of updates (assign only). */
  public static List<DocumentUpdate> read(Path file) throws IOException {
    List<DocumentUpdate> ops = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode node = Json.mapper().readTree(line);
        DocumentId id = parseId(node.get("update").asText());
        Map<String, FieldValue> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("fields").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          fields.put(field.getKey(), value(field.getValue().get("assign")));
        }
        ops.add(new DocumentUpdate(id, fields, true));
      }
    }
    return ops;
  }

  /** @return {@code {"fields":{...}}} of an update, the document JSON vespa-feed-client takes */
  public static String documentJson(DocumentOperation op) {
    return new String(DocumentJson.body(op), StandardCharsets.UTF_8);
  }

  static DocumentId parseId(String id) {
    String[] parts = id.split(":", 5);
    return new DocumentId(parts[1], parts[2], parts[4]);
  }

  private static FieldValue value(JsonNode v) {
    if (v.isTextual()) {
      return FieldValue.of(v.asText());
    }
    if (v.isIntegralNumber()) {
      return FieldValue.of(v.asLong());
    }
    if (v.isNumber()) {
      return FieldValue.of(v.asDouble());
    }
    if (v.isBoolean()) {
      return FieldValue.of(v.asBoolean());
    }
    if (v.isArray()) {
      List<String> strings = new ArrayList<>();
      v.forEach(s -> strings.add(s.asText()));
      return FieldValue.ofStrings(strings);
    }
    Map<String, Double> map = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
    return FieldValue.ofDoubles(map);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<DocumentUpdate> oneCycle(long seed) {
    ApiPayloads payloads = new ApiPayloads(seed, Map.of());
    List<List<DocumentUpdate>> perType = new ArrayList<>();
    for (String dataType : payloads.dataTypes()) {
      ApiHandler handler = ApiHandlers.installed().forDataType(dataType).orElseThrow();
      DocumentProcessor processor = DocumentProcessors.installed().forTopic(handler.topic().name()).orElseThrow();
      List<DocumentUpdate> ops = new ArrayList<>();
      for (Object record : handler.parse(payloads.responseBytes(dataType), dataType).records()) {
        ops.add((DocumentUpdate) processor.process((Keyed) record));
      }
      perType.add(ops);
    }
    // Interleave the types, as a connector reading several topics would.
    List<DocumentUpdate> cycle = new ArrayList<>();
    int total = perType.stream().mapToInt(List::size).sum();
    int[] next = new int[perType.size()];
    for (int i = 0; cycle.size() < total; i++) {
      int type = i % perType.size();
      if (next[type] < perType.get(type).size()) {
        cycle.add(perType.get(type).get(next[type]++));
      }
    }
    return cycle;
  }
}
