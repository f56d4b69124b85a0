package ai.pintxo.weaver.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The soak (issue 13): every source type at once for {@code duration} seconds, the HTTP ingest source at
 * {@code rate} requests/s of {@code batch} trades (the full run: 800 requests/s, half the capacity measured in
 * BENCHMARKS.md, for 30 minutes), the others fed by the emulators of {@link SoakTarget}, against a weaver in a
 * JVM of its own. Every 5 s it samples that JVM (RSS, heap after GC and GC pauses from its GC log, open file
 * descriptors, threads); per {@code window} seconds (5 minutes in the full run) it prints a table with those and
 * the p99 latencies, and writes {@code samples.csv} and {@code windows.md} to {@code loadtest/target/soak}.
 *
 * <pre>mvn -pl loadtest -am gatling:test -Dgatling.simulationClass=ai.pintxo.weaver.loadtest.SoakSimulation -Dload=full</pre>
 *
 * The ingest rate climbs from 1 to {@code rate} over {@code ramp} seconds first (60 s in the full run), within
 * the first window. The smoke profile (what {@code mvn verify} runs: 3 + 15 s, 40 requests/s, 10 s windows) checks the harness: the
 * last request, "soak checks", fails unless the sampler read every figure and every source's records reached
 * Vespa.
 */
public class SoakSimulation extends Simulation {

  private static final String CHECK = "soak checks";

  private final boolean full = "full".equals(LoadProfile.property("load", "smoke"));
  private final int rate = Integer.parseInt(LoadProfile.property("rate", full ? "800" : "40"));
  private final int seconds = Integer.parseInt(LoadProfile.property("duration", full ? "1800" : "15"));
  /** A cold JVM hit at once by the full rate queues requests for seconds (and the client opens thousands of connections). */
  private final int rampSeconds = Integer.parseInt(LoadProfile.property("ramp", full ? "60" : "3"));
  private final long windowSeconds = Long.parseLong(LoadProfile.property("window", full ? "300" : "10"));
  private final int batch = Integer.parseInt(LoadProfile.property("batch", "10"));
  private final Path dir = outputDir();
  private final SoakRecorder[] recorder = new SoakRecorder[1]; // the Vespa listener needs it before it exists
  private final SoakTarget target = SoakTarget.start(dir, LoadProfile.property("heap", "1g"), millis -> {
    SoakRecorder r = recorder[0];
    if (r != null) {
      r.endToEnd(millis);
    }
  });
  private final SoakRecorder soak = new SoakRecorder(windowSeconds, target.weaver.pid(), new GcLog(target.weaver.gcLog));
  private volatile String verdict = "not checked";

  {
    recorder[0] = soak;
    System.out.println("SoakSimulation " + (full ? "full" : "smoke") + ": " + rate + " requests/s × " + batch + " records for " + seconds
        + " s after a ramp of " + rampSeconds + " s, windows of " + windowSeconds + " s, weaver pid " + target.weaver.pid() + ", output in " + dir);
    ScenarioBuilder feeding = scenario("soak ingest")
        .exec(session -> session.set("sentAt", System.nanoTime()))
        .exec(http("POST /ingest/trades").post(target.ingestUrl + "/ingest/" + Target.STREAM)
            .header("Authorization", "Bearer " + target.token).header("Content-Type", "application/json")
            .body(StringBody(session -> Trades.randomBatch(batch)))
            .check(status().is(202)))
        .exec(session -> {
          soak.ingest(!session.isFailed(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.getLong("sentAt")));
          return session;
        });
    ScenarioBuilder checks = scenario(CHECK)
        .exec(http(CHECK).get(target.vespaUrl + "/emulator/stats").check(bodyString().transform(body -> verdict()).is("ok")));
    setUp(feeding.injectOpen(rampUsersPerSec(1).to(rate).during(Duration.ofSeconds(rampSeconds)),
            constantUsersPerSec(rate).during(Duration.ofSeconds(seconds)))
        .andThen(checks.injectOpen(atOnceUsers(1))))
        .protocols(http.shareConnections())
        .assertions(
            details(CHECK).successfulRequests().percent().is(100.0),
            details("POST /ingest/trades").failedRequests().percent().lt(1.0));
  }

  /** @return "ok", or what the harness failed to see */
  private String verdict() {
    List<String> problems = new ArrayList<>();
    if (!target.weaver.alive()) {
      problems.add("the weaver exited");
    }
    List<ProcessSample> samples = soak.samples();
    if (samples.size() < 2) {
      problems.add("only " + samples.size() + " samples");
    } else if (samples.stream().anyMatch(s -> s.rssMb() <= 0 || s.threads() <= 0 || s.fds() <= 0)) {
      problems.add("a sample lacks a figure: " + samples);
    }
    Set<String> trades = target.vespa.ids(Target.DOCUMENT_TYPE);
    for (String id : List.of("BTCUSDT", "SOLUSDT")) {
      if (!trades.contains(id)) {
        problems.add("no " + id + " trade (real-time streams) in Vespa");
      }
    }
    if (trades.stream().noneMatch(id -> id.startsWith("SYM"))) {
      problems.add("no ingested trade in Vespa");
    }
    Map<String, Integer> counts = target.vespa.counts();
    System.out.println("soak: documents in Vespa by type: " + counts);
    // chain, protocol, pool: polled; price: Pyth; metric: Substreams; trade: ingest and real-time streams
    for (String type : List.of("chain", "protocol", "pool", "price", "metric")) {
      if (counts.getOrDefault(type, 0) == 0) {
        problems.add("no " + type + " document in Vespa");
      }
    }
    verdict = problems.isEmpty() ? "ok" : String.join("; ", problems);
    return verdict;
  }

  @Override
  public void after() {
    soak.close();
    String table = soak.table();
    System.out.println("soak, " + Instant.now() + ", weaver process " + target.weaver.pid() + ":\n" + table);
    System.out.println("soak verdict: " + verdict);
    try {
      soak.write(dir);
    } catch (IOException e) {
      System.err.println("could not write the soak's files: " + e);
    }
    target.close();
  }

  private static Path outputDir() {
    try {
      // loadtest/target (the parent of test-classes): the forked JVM's working directory is the reactor's root.
      Path target = Path.of(SoakSimulation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
      Path dir = target.resolve("soak");
      if (Files.exists(dir)) {
        try (var old = Files.walk(dir)) {
          old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("no output directory for the soak: " + e, e);
    }
  }
}
