package ai.pintxo.weaver.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * The HTTP ingest source under three open-model profiles, one after the other: a ramp from 1 to
 * {@code rate} requests/s, {@code rate} constant, then a spike ({@code rate} requests at once, then twice
 * the rate for a third of the phase). Each request posts {@code batch} trades; only 202 (Kafka acknowledged
 * every record) counts as success. Asserts p99, p95 and the error rate ({@link Bounds}).
 */
public class IngestSimulation extends Simulation {

  private final LoadProfile profile = LoadProfile.fromProperties();
  private final Bounds bounds = Bounds.fromProperties(profile);
  private final Target target = Target.fromProperties();

  {
    System.out.println("IngestSimulation " + profile + " against " + target.ingestUrl);
    HttpProtocolBuilder protocol = http.baseUrl(target.ingestUrl)
        .header("Authorization", "Bearer " + target.token)
        .contentTypeHeader("application/json")
        .acceptHeader("application/json")
        .shareConnections(); // one keep-alive pool, as a webhook sender's client has, not a connection per request
    int rate = profile.rate();
    Duration phase = profile.duration();
    Duration third = Duration.ofSeconds(Math.max(1, phase.toSeconds() / 3));
    setUp(posting("ramp").injectOpen(rampUsersPerSec(1).to(rate).during(phase))
        .andThen(posting("constant").injectOpen(constantUsersPerSec(rate).during(phase)))
        .andThen(posting("spike").injectOpen(atOnceUsers(rate), constantUsersPerSec(2.0 * rate).during(third))))
        .protocols(protocol)
        .assertions(
            global().responseTime().percentile(99.0).lt(bounds.p99()),
            global().responseTime().percentile(95.0).lt(bounds.p95()),
            global().failedRequests().percent().lt(bounds.maxErrorPercent()),
            global().successfulRequests().count().gt(0L));
  }

  private ScenarioBuilder posting(String name) {
    // Named by phase, so that the report has each phase's percentiles (the constant one is the capacity figure).
    return scenario(name).exec(http("POST /ingest/trades " + name).post("/ingest/" + Target.STREAM)
        .body(StringBody(session -> Trades.randomBatch(profile.batch())))
        .check(status().is(202)));
  }

  @Override
  public void after() {
    target.close();
  }
}
