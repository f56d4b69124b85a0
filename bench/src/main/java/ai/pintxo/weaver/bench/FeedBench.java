package ai.pintxo.weaver.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed benchmark. Starts the Vespa emulator in a JVM of its own (pinned to core 0, the clients
 * to core 1, so each client's throughput and CPU are its own and not shared with the server's),
 * warms it up, measures its ceiling with h2load, then feeds the same N update operations with each client, alternating clients round by
 * round, each client in a fresh JVM that warms up before its timed run; optionally measures Kafka
 * → Vespa through the engine connector with 1 and 2 instances, and (--tracing) with tracing off, at 1 % and at 100 %. Prints a table of documents/s,
 * p50/p99 latency and client CPU per 100k documents, and the ratios the targets are set on.
 *
 * <pre>java -jar bench/target/weaver-bench.jar [--operations N] [--rounds R] [--warmup W]
 *     [--connections C] [--streams S] [--clients weaver,weaver-vertx,vespa-feed-client,vertx-bare]
 *     [--connector] [--tracing] [--connector-records N] [--no-pin] [--no-h2load] [--json results.json]</pre>
 */
public final class FeedBench {

  private final PrintStream out = System.out;

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    JsonObject report = new FeedBench().run(a);
    if (a.json != null) {
      Files.writeString(Path.of(a.json), report.encodePrettily());
    }
    System.exit(report.getBoolean("ok") ? 0 : 1);
  }

  JsonObject run(Args a) throws Exception {
    Path dir = Files.createTempDirectory("weaver-bench");
    Path log = dir.resolve("children.log");
    Path opsFile = dir.resolve("operations.jsonl");
    out.printf("feed bench: %,d update operations, %d round(s), %d connection(s) × %d streams, warm-up %,d operations%n",
        a.operations, a.rounds, a.connections, a.streams, a.warmup);
    FeedOperations.write(opsFile, a.operations, 42);
    out.printf("operations written to %s (%,d bytes); child JVM logs in %s%n", opsFile, Files.size(opsFile), log);
    JsonObject report = new JsonObject().put("operations", a.operations).put("rounds", a.rounds)
        .put("connections", a.connections).put("streams", a.streams).put("cores", Runtime.getRuntime().availableProcessors());
    // Each client holds every operation in memory (the bare client also pre-encoded): size the heap for it.
    String clientHeap = a.operations > 300_000 ? "8g" : "2g";
    boolean pin = a.pin && ChildJvm.canPin();
    String serverCpus = pin ? "0" : null;
    String clientCpus = pin ? "1" : null;
    report.put("pinned", pin);
    out.println(pin ? "pinning: emulator on core 0, each client on core 1" : "no pinning: emulator and clients share the cores");
    try (ChildJvm emulator = ChildJvm.start(serverCpus, "3g", "ai.pintxo.weaver.testkit.vespa.VespaEmulatorMain",
        List.of("--port", "0", "--no-store"), Map.of(), log)) {
      String endpoint = emulator.await(l -> l.startsWith("vespa-emulator listening on "), 60).substring("vespa-emulator listening on ".length());
      out.println("Vespa emulator (own JVM, pid " + emulator.pid() + ") at " + endpoint);
      // The emulator's JIT must be warm before anything is measured against it: one untimed run.
      try (ChildJvm warm = ChildJvm.start(clientCpus, clientHeap, "ai.pintxo.weaver.bench.FeedClientRunner",
          List.of("vertx-bare", opsFile.toString(), endpoint, Integer.toString(a.connections), Integer.toString(a.streams),
              Integer.toString(a.warmup)), Map.of(), log)) {
        warm.await(l -> l.startsWith("RESULT "), 3600);
        out.println("emulator warmed up with one untimed run");
      }
      if (a.h2load) {
        double ceiling = H2Load.ceiling(endpoint, Math.max(100_000, a.operations), a.connections, a.streams, dir);
        report.put("emulatorCeilingRequestsPerSecond", ceiling);
        out.println(ceiling < 0 ? "h2load not installed (apt-get install nghttp2-client): no emulator ceiling"
            : String.format("emulator ceiling (h2load, %d connections × %d streams): %,.0f requests/s", a.connections, a.streams, ceiling));
      }
      Map<String, List<RunResult>> results = new LinkedHashMap<>();
      for (int round = 1; round <= a.rounds; round++) {
        for (String client : a.clients) {
          try (ChildJvm runner = ChildJvm.start(clientCpus, clientHeap, "ai.pintxo.weaver.bench.FeedClientRunner",
              List.of(client, opsFile.toString(), endpoint, Integer.toString(a.connections), Integer.toString(a.streams),
                  Integer.toString(a.warmup)), Map.of(), log)) {
            RunResult r = RunResult.fromJson(new JsonObject(runner.await(l -> l.startsWith("RESULT "), 3600).substring(7)));
            results.computeIfAbsent(client, c -> new ArrayList<>()).add(r);
            out.printf("round %d %-18s %,10.0f docs/s  p50 %7.2f ms  p99 %8.2f ms  CPU %6.2f s/100k (%5.1f µs/doc)  errors %d%n",
                round, client, r.docsPerSecond(), r.p50Millis(), r.p99Millis(), r.cpuSecondsPer100k(), r.cpuMicrosPerDoc(), r.errors());
          }
        }
      }
      JsonArray clients = new JsonArray();
      Map<String, RunResult> medians = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, List<RunResult>> e : results.entrySet()) {
        RunResult median = median(e.getValue());
        medians.put(e.getKey(), median);
        ok &= e.getValue().stream().allMatch(r -> r.errors() == 0);
        JsonArray runs = new JsonArray();
        e.getValue().forEach(r -> runs.add(r.toJson()));
        clients.add(median.toJson().put("runs", runs).put("docsPerSecond", median.docsPerSecond())
            .put("cpuMicrosPerDoc", median.cpuMicrosPerDoc()));
      }
      report.put("clients", clients);
      printTable(medians, report);
      if (a.tracing) {
        JsonObject tracing = new ConnectorBench(out, log, clientCpus).runTracing(endpoint, a.connectorRecords);
        report.put("tracing", tracing);
        ok &= tracing.getBoolean("ok");
      }
      if (a.connector) {
        JsonObject connector = new ConnectorBench(out, log, clientCpus).run(endpoint, a.connectorRecords, medians.get("weaver"));
        report.put("connector", connector);
        ok &= connector.getBoolean("ok");
      }
      report.put("ok", ok);
      return report;
    }
  }

  /** The run with the median throughput. */
  private static RunResult median(List<RunResult> runs) {
    List<RunResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(RunResult::docsPerSecond));
    return sorted.get(sorted.size() / 2);
  }

  private void printTable(Map<String, RunResult> medians, JsonObject report) {
    out.println();
    out.println("| client | docs/s | p50 ms | p99 ms | client CPU s / 100k docs | CPU µs / doc |");
    out.println("|---|---:|---:|---:|---:|---:|");
    medians.forEach((client, r) -> out.printf("| %s | %,.0f | %.2f | %.2f | %.2f | %.1f |%n", client, r.docsPerSecond(),
        r.p50Millis(), r.p99Millis(), r.cpuSecondsPer100k(), r.cpuMicrosPerDoc()));
    RunResult weaver = medians.get("weaver");
    RunResult vfc = medians.get("vespa-feed-client");
    RunResult bare = medians.get("vertx-bare");
    JsonObject ratios = new JsonObject();
    if (weaver != null && vfc != null) {
      ratios.put("throughputVsVespaFeedClient", weaver.docsPerSecond() / vfc.docsPerSecond());
      ratios.put("cpuPerDocVsVespaFeedClient", weaver.cpuMicrosPerDoc() / vfc.cpuMicrosPerDoc());
      out.printf("%nweaver / vespa-feed-client: throughput × %.2f (target ≥ 2.5), CPU per document × %.2f (target ≤ 0.35)%n",
          ratios.getDouble("throughputVsVespaFeedClient"), ratios.getDouble("cpuPerDocVsVespaFeedClient"));
    }
    if (weaver != null && bare != null) {
      ratios.put("cpuPerDocVsBareVertx", weaver.cpuMicrosPerDoc() / bare.cpuMicrosPerDoc());
      ratios.put("throughputVsBareVertx", weaver.docsPerSecond() / bare.docsPerSecond());
      out.printf("weaver / bare Vert.x: CPU per document × %.2f (target ≤ 0.8), throughput × %.2f%n",
          ratios.getDouble("cpuPerDocVsBareVertx"), ratios.getDouble("throughputVsBareVertx"));
    }
    RunResult before = medians.get("weaver-vertx");
    if (weaver != null && before != null) {
      ratios.put("cpuPerDocVsVertxTransport", weaver.cpuMicrosPerDoc() / before.cpuMicrosPerDoc());
      ratios.put("throughputVsVertxTransport", weaver.docsPerSecond() / before.docsPerSecond());
      out.printf("weaver (netty transport) / weaver-vertx (Vert.x client): CPU per document × %.2f, throughput × %.2f%n",
          ratios.getDouble("cpuPerDocVsVertxTransport"), ratios.getDouble("throughputVsVertxTransport"));
    }
    report.put("ratios", ratios);
  }

  /** Command-line options. */
  static final class Args {
    int operations = 200_000;
    int rounds = 3;
    int warmup = 50_000;
    int connections = 2;
    int streams = 256;
    List<String> clients = List.of("weaver", "vespa-feed-client", "vertx-bare");
    boolean connector;
    boolean tracing;
    int connectorRecords = 400_000;
    boolean h2load = true;
    boolean pin = true;
    String json;

    static Args parse(String[] args) {
      Args a = new Args();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--operations" -> a.operations = Integer.parseInt(args[++i]);
          case "--rounds" -> a.rounds = Integer.parseInt(args[++i]);
          case "--warmup" -> a.warmup = Integer.parseInt(args[++i]);
          case "--connections" -> a.connections = Integer.parseInt(args[++i]);
          case "--streams" -> a.streams = Integer.parseInt(args[++i]);
          case "--clients" -> a.clients = List.of(args[++i].split(","));
          case "--connector" -> a.connector = true;
          case "--tracing" -> a.tracing = true;
          case "--connector-records" -> a.connectorRecords = Integer.parseInt(args[++i]);
          case "--no-h2load" -> a.h2load = false;
          case "--no-pin" -> a.pin = false;
          case "--json" -> a.json = args[++i];
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class javadoc");
        }
      }
      return a;
    }
  }
}
