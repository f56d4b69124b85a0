package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.poller.ApiHandler;
import ai.pintxo.weaver.poller.ApiHandlers;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.otlp.OtlpReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka → Vespa through the engine connector: the generated API records (real field mix, ids made
 * unique beyond one cycle) are produced into the six API topics (4 partitions each) of an embedded
 * broker; then a {@code weaver run} JVM with 1, then 2 connector instances, a fresh consumer group
 * each time, feeds them to the emulator. The connector JVM starts cold, so the first half of the
 * records is its warm-up (as the feed clients have theirs): the steady rate is measured over the
 * second half, from the emulator's applied-operation count; the whole-run rate is reported too.
 */
final class ConnectorBench {

  private final PrintStream out;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String cpus;

  /** @param cpus the cores the connector JVM is pinned to, or null */
  ConnectorBench(PrintStream out, Path log, String cpus) {
    this.out = out;
    this.log = log;
    this.cpus = cpus;
  }

  JsonObject run(String vespa, int records, RunResult raw) throws Exception {
    Path dir = Files.createTempDirectory("weaver-bench-kafka");
    JsonObject result = new JsonObject().put("records", records);
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      Set<String> topics = produce(kafka, records);
      JsonArray runs = new JsonArray();
      boolean ok = true;
      for (int instances : new int[] {1, 2}) {
        JsonObject run = feed(vespa, dir, kafka, topics, records, instances, null, instances + " instance(s)", raw);
        ok &= run.getLong("applied") >= records;
        runs.add(run);
      }
      result.put("runs", runs).put("ok", ok);
      if (raw != null) {
        result.put("rawFeederDocsPerSecond", raw.docsPerSecond());
      }
      return result;
    }
  }

  /**
   * The cost of tracing on the connector's path: the same records fed by one connector instance with
   * tracing off, on at a 1 % sampling ratio and on at 100 %, exporting OTLP/HTTP to the testkit's
   * receiver in this JVM (which only counts what it gets). The records carry no trace context, so the
   * connector starts each record's trace and the ratio decides, as it would for a source's.
   */
  JsonObject runTracing(String vespa, int records) throws Exception {
    Path dir = Files.createTempDirectory("weaver-bench-kafka");
    JsonObject result = new JsonObject().put("records", records);
    Vertx vertx = Vertx.vertx();
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      OtlpReceiver receiver = OtlpReceiver.start(vertx, 0, false).toCompletionStage().toCompletableFuture().get();
      Set<String> topics = produce(kafka, records);
      JsonArray runs = new JsonArray();
      boolean ok = true;
      Double off = null;
      for (Double ratio : java.util.Arrays.asList(null, 0.01, 1.0)) {
        JsonObject tracing = ratio == null ? null : new JsonObject().put("enabled", true).put("endpoint", receiver.endpoint())
            .put("sampleRatio", ratio);
        long spansBefore = receiver.spanCount();
        String label = ratio == null ? "tracing off" : String.format("tracing at %.0f %%", ratio * 100);
        JsonObject run = feed(vespa, dir, kafka, topics, records, 1, tracing, label, null);
        long spans = receiver.spanCount() - spansBefore;
        run.put("tracing", label).put("spansExported", spans);
        ok &= run.getLong("applied") >= records;
        if (off == null) {
          off = run.getDouble("docsPerSecond");
        } else {
          out.printf("  %s: %,d spans exported; steady rate × %.3f of tracing off%n", label, spans, run.getDouble("docsPerSecond") / off);
        }
        runs.add(run);
      }
      return result.put("runs", runs).put("ok", ok);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** One connector JVM with a fresh consumer group feeding every record; @return its rates */
  private JsonObject feed(String vespa, Path dir, EmbeddedKafka kafka, Set<String> topics, int records, int instances, JsonObject tracing,
                          String label, RunResult raw) throws Exception {
    post(vespa + "/emulator/reset");
    Path deployment = dir.resolve("deployment-" + System.nanoTime() + ".json");
    JsonObject config = new JsonObject()
        .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()))
        .put("admin", new JsonObject().put("enabled", false))
        .put("verticles", new JsonArray().add(new JsonObject().put("name", "engine-connector")
            .put("verticle", "EngineConnectorVerticle").put("instances", instances)
            .put("config", new JsonObject().put("groupId", "bench-" + instances + "-" + System.nanoTime())
                .put("topics", new JsonArray(new ArrayList<>(topics)))
                // One write per record, as the raw clients make: the rate compares, and completion is counted in writes.
                .put("vespa", new JsonObject().put("endpoint", vespa).put("coalesceUpdates", false)))));
    if (tracing != null) {
      config.put("tracing", tracing.copy().put("exportDelay", "1s"));
    }
    Files.writeString(deployment, config.encodePrettily());
    try (ChildJvm connector = ChildJvm.start(cpus, "2g", "ai.pintxo.weaver.launcher.Weaver", List.of("run", deployment.toString()),
        Map.of("WEAVER_LOG_LEVEL", "WARN"), log)) {
      long first = 0;
      long half = 0;
      long appliedAtHalf = 0;
      long deadline = System.nanoTime() + 900_000_000_000L;
      long applied = 0;
      while (applied < records && System.nanoTime() < deadline) {
        Thread.sleep(20);
        applied = stats(vespa).getLong("operationsApplied");
        if (applied > 0 && first == 0) {
          first = System.nanoTime();
        }
        if (applied >= records / 2 && half == 0) {
          half = System.nanoTime();
          appliedAtHalf = applied;
        }
      }
      long last = System.nanoTime();
      double wholeRate = applied / ((last - first) / 1e9);
      double steadyRate = (applied - appliedAtHalf) / ((last - half) / 1e9);
      boolean complete = applied >= records;
      out.printf("connector, %s: %,d records; steady (second half) %,.0f docs/s%s; whole run incl. JIT warm-up %,.0f docs/s%s%n",
          label, applied, steadyRate,
          raw == null ? "" : String.format(" = × %.2f of the raw feeder's %,.0f", steadyRate / raw.docsPerSecond(), raw.docsPerSecond()),
          wholeRate, complete ? "" : " INCOMPLETE");
      return new JsonObject().put("instances", instances).put("docsPerSecond", steadyRate).put("wholeRunDocsPerSecond", wholeRate)
          .put("seconds", (last - first) / 1e9).put("applied", applied);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Set<String> produce(EmbeddedKafka kafka, int records) throws Exception {
    KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
    ApiPayloads payloads = new ApiPayloads(42, Map.of());
    Map<String, List<byte[][]>> byTopic = new LinkedHashMap<>();
    List<List<byte[][]>> perType = new ArrayList<>();
    List<String> topicOfType = new ArrayList<>();
    for (String dataType : payloads.dataTypes()) {
      ApiHandler handler = ApiHandlers.installed().forDataType(dataType).orElseThrow();
      Topic topic = handler.topic();
      List<byte[][]> encoded = new ArrayList<>();
      for (Object record : handler.parse(payloads.responseBytes(dataType), dataType).records()) {
        encoded.add(new byte[][] {topic.keySerde().encode(((Keyed) record).key()), topic.encode(record)});
      }
      perType.add(encoded);
      topicOfType.add(topic.name());
    }
    int total = perType.stream().mapToInt(List::size).sum();
    for (int i = 0; i < records; i++) {
      int cycleIndex = i % total;
      int type = 0;
      while (cycleIndex >= perType.get(type).size()) {
        cycleIndex -= perType.get(type).size();
        type++;
      }
      byte[][] kv = perType.get(type).get(cycleIndex);
      int round = i / total;
      byte[] key = round == 0 ? kv[0] : (new String(kv[0]) + "#" + round).getBytes();
      // A later round reuses the record under a new key; the processor derives the id from the
      // record, so the value is rewritten to carry the new id too.
      byte[] value = round == 0 ? kv[1] : reid(topicOfType.get(type), kv[1], round);
      byTopic.computeIfAbsent(topicOfType.get(type), t -> new ArrayList<>()).add(new byte[][] {key, value});
    }
    probe.createTopics(byTopic.keySet(), 4);
    long t0 = System.nanoTime();
    byTopic.forEach(probe::produce);
    out.printf("connector bench: %,d records produced to %s in %.1f s%n", records, byTopic.keySet(), (System.nanoTime() - t0) / 1e9);
    return new TreeSet<>(byTopic.keySet());
  }

  /** Appends {@code #round} to the field that is the document id of a record of this topic. */
  private static byte[] reid(String topic, byte[] value, int round) {
    JsonObject json = new JsonObject(io.vertx.core.buffer.Buffer.buffer(value));
    String field = switch (topic) {
      case "protocols-api-topic", "chains-api-topic" -> "name";
      case "pools-api-topic" -> "pool";
      default -> "id";
    };
    Object id = json.getValue(field);
    if (id instanceof Number n) {
      json.put(field, n.longValue() + 1_000_000L * round);
    } else {
      json.put(field, id + "#" + round);
    }
    return json.encode().getBytes();
  }

  private JsonObject stats(String vespa) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create(vespa + "/emulator/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private void post(String url) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
