package ai.pintxo.weaver.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.forAll;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * The admin endpoint while the weaver is fed: {@code rate/2} ingest requests/s for the whole run, and
 * a few operators' tools polling {@code /ready} (200: nothing keeps a unit from delivering),
 * {@code /metrics} (Prometheus text with the ingest counters) and {@code /pipelines} (the ingest pipeline
 * listed) without pause. Asserts no failures and the admin requests' p95 and p99.
 */
public class AdminSimulation extends Simulation {

  private final LoadProfile profile = LoadProfile.fromProperties();
  private final Bounds bounds = Bounds.fromProperties(profile);
  private final Target target = Target.fromProperties();

  {
    if (target.adminUrl.isEmpty()) {
      throw new IllegalStateException("AdminSimulation needs the admin endpoint of the target: -Dadmin=http://host:8090");
    }
    System.out.println("AdminSimulation " + profile + " against " + target.adminUrl);
    Duration run = profile.duration().multipliedBy(2);
    ScenarioBuilder feeding = scenario("feeding").exec(http("POST /ingest/trades").post(target.ingestUrl + "/ingest/" + Target.STREAM)
        .header("Authorization", "Bearer " + target.token).header("Content-Type", "application/json")
        .body(StringBody(session -> Trades.randomBatch(profile.batch()))).check(status().is(202)));
    ScenarioBuilder operators = scenario("admin").forever().on(
        exec(http("GET /ready").get(target.adminUrl + "/ready").check(status().is(200)))
            .exec(http("GET /metrics").get(target.adminUrl + "/metrics").check(status().is(200),
                substring("weaver_ingest_requests_total").exists()))
            .exec(http("GET /pipelines").get(target.adminUrl + "/pipelines").check(status().is(200),
                jsonPath("$[?(@.name == 'ingest')].type").is("HttpIngestVerticle"))));
    setUp(feeding.injectOpen(constantUsersPerSec(Math.max(1, profile.rate() / 2.0)).during(run)),
        operators.injectClosed(constantConcurrentUsers(4).during(run)))
        .protocols(http.shareConnections())
        .maxDuration(run.plusSeconds(5))
        .assertions(
            forAll().failedRequests().percent().lt(bounds.maxErrorPercent()),
            global().responseTime().percentile(99.0).lt(bounds.p99()),
            global().responseTime().percentile(95.0).lt(bounds.p95()),
            global().successfulRequests().count().gt(0L));
  }

  private static io.gatling.javaapi.core.ChainBuilder exec(io.gatling.javaapi.http.HttpRequestActionBuilder request) {
    return io.gatling.javaapi.core.CoreDsl.exec(request);
  }

  @Override
  public void after() {
    target.close();
  }
}
