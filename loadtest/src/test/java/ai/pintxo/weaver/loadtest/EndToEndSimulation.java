package ai.pintxo.weaver.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every record posted and acknowledged (202) must be in Vespa. Posts {@code rate/2} requests/s of
 * {@code batch} trades with ids unique to this run, then asks the Vespa emulator for the time it accepted
 * each document ({@code GET /emulator/written/trade}) until all are there (at most 60 s): the last
 * request, "every accepted record in Vespa", fails if any is missing. Its report gives the POST →
 * Vespa-acknowledgement latency percentiles (the emulator's accept time minus the time the POST was
 * sent), overall and by 10 s of sending, printed and written to {@code loadtest/target/e2e-latency.txt}.
 */
public class EndToEndSimulation extends Simulation {

  private static final String CHECK = "every accepted record in Vespa";

  private final LoadProfile profile = LoadProfile.fromProperties();
  private final Bounds bounds = Bounds.fromProperties(profile);
  private final Target target = Target.fromProperties();
  private final String prefix = "E2E" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong next = new AtomicLong();
  /** First id of each batch sent → when its POST was sent (epoch ms). */
  private final Map<Long, Long> sent = new ConcurrentHashMap<>();
  /** First id of each batch answered 202. */
  private final Map<Long, Boolean> accepted = new ConcurrentHashMap<>();
  private volatile String report = "no check ran";

  {
    if (target.vespaUrl.isEmpty()) {
      throw new IllegalStateException("EndToEndSimulation needs the target's Vespa emulator: -Dvespa=http://host:8080");
    }
    System.out.println("EndToEndSimulation " + profile + " against " + target.ingestUrl + ", documents checked in " + target.vespaUrl);
    int batch = profile.batch();
    ScenarioBuilder feeding = scenario("feeding")
        .exec(session -> {
          long first = next.getAndAdd(batch);
          sent.put(first, System.currentTimeMillis());
          return session.set("first", first);
        })
        .exec(http("POST /ingest/trades").post(target.ingestUrl + "/ingest/" + Target.STREAM)
            .header("Authorization", "Bearer " + target.token).header("Content-Type", "application/json")
            .body(StringBody(session -> Trades.numberedBatch(prefix, session.getLong("first"), batch)))
            .check(status().is(202)))
        .exec(session -> {
          if (!session.isFailed()) {
            accepted.put(session.getLong("first"), true);
          }
          return session;
        });
    String written = target.vespaUrl + "/emulator/written/" + Target.DOCUMENT_TYPE;
    ScenarioBuilder verify = scenario("verify")
        .exec(session -> session.set("missing", -1).set("deadline", System.currentTimeMillis() + 60_000))
        .asLongAs(session -> session.getInt("missing") != 0 && System.currentTimeMillis() < session.getLong("deadline")).on(
            pause(Duration.ofMillis(500)).exec(http("GET written").get(written)
                .check(bodyString().transform(this::missing).saveAs("missing"))))
        .exec(http(CHECK).get(written).check(bodyString().transform(this::missing).is(0)));
    setUp(feeding.injectOpen(constantUsersPerSec(Math.max(1, profile.rate() / 2.0)).during(profile.duration()))
        .andThen(verify.injectOpen(atOnceUsers(1))))
        .protocols(http.shareConnections())
        .assertions(
            details(CHECK).successfulRequests().percent().is(100.0),
            details("POST /ingest/trades").failedRequests().percent().lt(bounds.maxErrorPercent()),
            global().successfulRequests().count().gt(0L));
  }

  /** @return how many accepted records the emulator lacks; computes the latency report as a side effect */
  private int missing(String body) {
    JsonObject writtenAt = new JsonObject(body);
    int batch = profile.batch();
    long[] latencies = new long[accepted.size() * batch];
    long start = sent.values().stream().mapToLong(Long::longValue).min().orElse(0);
    Map<Long, List<Long>> windows = new TreeMap<>(); // by 10 s of send time: where in the run the latency came from
    int found = 0;
    int missing = 0;
    for (Long first : accepted.keySet()) {
      long sentAt = sent.get(first);
      for (int i = 0; i < batch; i++) {
        Long at = writtenAt.getLong(prefix + "-" + (first + i));
        if (at == null) {
          missing++;
        } else {
          latencies[found++] = at - sentAt;
          windows.computeIfAbsent((sentAt - start) / 10_000, w -> new ArrayList<>()).add(at - sentAt);
        }
      }
    }
    StringBuilder text = new StringBuilder(latencyReport(Arrays.copyOf(latencies, found), missing));
    windows.forEach((window, values) -> text.append(System.lineSeparator()).append("  sent at ").append(window * 10).append("-")
        .append(window * 10 + 10).append(" s: ").append(latencyReport(values.stream().mapToLong(Long::longValue).toArray(), 0)));
    report = text.toString();
    return missing;
  }

  private static String latencyReport(long[] latencies, int missing) {
    Arrays.sort(latencies);
    StringBuilder out = new StringBuilder("POST → Vespa acknowledgement: ").append(latencies.length).append(" records in Vespa, ")
        .append(missing).append(" missing");
    if (latencies.length > 0) {
      for (double p : new double[] {50, 95, 99, 99.9}) {
        int index = (int) Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1);
        out.append(", p").append(p == 99.9 ? "99.9" : Integer.toString((int) p)).append(' ').append(latencies[Math.max(0, index)]).append(" ms");
      }
      out.append(", max ").append(latencies[latencies.length - 1]).append(" ms");
    }
    return out.toString();
  }

  @Override
  public void after() {
    System.out.println(report);
    try {
      // loadtest/target (the parent of test-classes): the forked JVM's working directory is the reactor's root.
      Path file = Path.of(EndToEndSimulation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent()
          .resolve("e2e-latency.txt");
      Files.writeString(file, report + System.lineSeparator());
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      System.err.println("could not write e2e-latency.txt: " + e);
    }
    target.close();
  }
}
