package ai.pintxo.weaver.testkit.vespa;

import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.assign;
import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.docPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.EmulatorHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fault injection: overload, errors, latency and timeouts, in-flight limit, rejected ids, outages, status counts. */
@ExtendWith(VertxExtension.class)
class VespaEmulatorFaultsTest {

  private VespaEmulator emulator;
  private EmulatorHttp http;
  private EmulatorHttp h2;

  /** Each test gets its own Vert.x instance from the extension, which closes it after the test. */
  @BeforeEach
  void startEmulator(Vertx vertx) {
    emulator = VespaEmulator.start(vertx, new VespaEmulatorOptions()).await();
    http = new EmulatorHttp(vertx, emulator.port(), HttpVersion.HTTP_1_1);
    h2 = new EmulatorHttp(vertx, emulator.port(), HttpVersion.HTTP_2);
  }

  @AfterEach
  void stopEmulator() {
    http.close();
    h2.close();
    emulator.close().await();
  }

  private Response upsert(EmulatorHttp client, String id) {
    return client.send(HttpMethod.PUT, docPath("tokens", id) + "?create=true", assign(Map.of("name", id)));
  }

  @Test
  void overloadAnswers429WithoutId() {
    emulator.faults().errors(1.0, 429);

    Response response = upsert(h2, "btc");

    assertThat(response.status()).as("every operation is rejected as overload").isEqualTo(429);
    assertThat(response.message()).startsWith("Rejecting execution due to overload");
    assertThat(response.json().containsKey("id")).as("overload is a request-level error without id").isFalse();
    assertThat(emulator.document("tokens", "btc")).as("a rejected operation stores nothing").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {412, 500, 503, 504, 507})
  void injectedErrorsCarryVespasBodies(int status) {
    emulator.faults().errors(1.0, status);

    Response response = upsert(http, "btc");

    assertThat(response.status()).isEqualTo(status);
    assertThat(response.message()).as("every error has a message").isNotBlank();
    assertThat(response.json().getString("pathId")).isEqualTo(docPath("tokens", "btc"));
    if (status == 503) {
      assertThat(response.json().containsKey("id")).as("503 comes from the container, not the backend: no id").isFalse();
    } else {
      assertThat(response.json().getString("id")).as("backend errors keep the id").isEqualTo("id:pintxo:tokens::btc");
    }
    if (status == 507) {
      assertThat(response.message()).contains("NO_SPACE");
    }
    assertThat(emulator.document("tokens", "btc")).isEmpty();
  }

  @Test
  void errorsApplyToOperationsOnlyAndClearTurnsThemOff() {
    emulator.faults().errors(1.0, 500);
    assertThat(http.get(docPath("tokens", "btc")).status()).as("reads are not affected by the error switch").isEqualTo(404);
    assertThat(upsert(http, "btc").status()).isEqualTo(500);

    emulator.faults().clear();

    assertThat(upsert(http, "btc").status()).as("after clear() operations succeed again").isEqualTo(200);
    assertThat(emulator.document("tokens", "btc")).isPresent();
  }

  @Test
  void failNextFailsExactlyThatManyOperationsAndCountsAreKept() {
    emulator.faults().failNext(2, 503);

    assertThat(upsert(http, "btc").status()).as("first operation").isEqualTo(503);
    assertThat(upsert(h2, "btc").status()).as("second operation").isEqualTo(503);
    assertThat(emulator.document("tokens", "btc")).isEmpty();
    assertThat(upsert(http, "btc").status()).as("third operation, after the two failures").isEqualTo(200);
    assertThat(upsert(h2, "eth").status()).isEqualTo(200);
    assertThat(http.get(docPath("tokens", "none")).status()).isEqualTo(404);

    assertThat(emulator.responsesByStatus()).as("every response is counted by status")
        .isEqualTo(Map.of(200, 2L, 404, 1L, 503, 2L));
    assertThat(emulator.operationsApplied()).as("only the two successful upserts were applied").isEqualTo(2);
  }

  @Test
  void resetForgetsDocumentsAndCounts() {
    upsert(http, "btc");
    http.get(docPath("tokens", "none"));
    assertThat(emulator.responsesByStatus()).isEqualTo(Map.of(200, 1L, 404, 1L));

    emulator.reset();

    assertThat(emulator.counts()).as("no documents after reset").isEmpty();
    assertThat(emulator.responsesByStatus()).as("no responses counted after reset").isEmpty();
    assertThat(emulator.operationsApplied()).as("no operations counted after reset").isZero();
    upsert(http, "eth");
    assertThat(emulator.responsesByStatus()).isEqualTo(Map.of(200, 1L));
  }

  @Test
  void latencyBeyondTheRequestTimeoutAnswers504() {
    emulator.faults().latency(300, 300);

    Response response = h2.send(HttpMethod.PUT, docPath("tokens", "slow") + "?create=true&timeout=100ms", assign(Map.of("name", "x")));

    assertThat(response.status()).as("the operation cannot finish within its timeout").isEqualTo(504);
    assertThat(response.json()).isEqualTo(new JsonObject().put("pathId", docPath("tokens", "slow"))
        .put("id", "id:pintxo:tokens::slow").put("message", "Timeout after 100ms"));
    assertThat(emulator.document("tokens", "slow")).as("a timed-out operation is not applied").isEmpty();

    Response patient = h2.send(HttpMethod.PUT, docPath("tokens", "slow") + "?create=true&timeout=10s", assign(Map.of("name", "x")));
    assertThat(patient.status()).as("with enough time the slow operation succeeds").isEqualTo(200);
    assertThat(emulator.document("tokens", "slow")).isPresent();
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void maxInflightRejectsTheOperationBeyondTheLimit(HttpVersion version, VertxTestContext test) {
    EmulatorHttp client = version == HttpVersion.HTTP_2 ? h2 : http;
    emulator.faults().maxInflight(1).latency(2500, 2500);

    List<Future<Response>> both = List.of(
        client.sendAsync(HttpMethod.PUT, docPath("tokens", "one") + "?create=true", assign(Map.of("name", "1")).toBuffer(), Map.of()),
        client.sendAsync(HttpMethod.PUT, docPath("tokens", "two") + "?create=true", assign(Map.of("name", "2")).toBuffer(), Map.of()));

    Future.all(both).onComplete(test.succeeding(answered -> test.verify(() -> {
      List<Integer> statuses = both.stream().map(f -> f.result().status()).sorted().toList();
      assertThat(statuses).as("one operation runs, the concurrent one is throttled").containsExactly(200, 429);
      Response throttled = both.stream().map(Future::result).filter(r -> r.status() == 429).findFirst().orElseThrow();
      assertThat(throttled.message()).startsWith("Rejecting execution due to overload");
      assertThat(emulator.count("tokens")).as("only the admitted operation is applied").isEqualTo(1);
      test.completeNow();
    })));
  }

  @Test
  void rejectAnswersTheMatchingIdsOnly() {
    emulator.faults().reject(id -> id.startsWith("bad"), 400);

    Response bad = upsert(http, "bad-1");
    Response good = upsert(http, "good-1");

    assertThat(bad.status()).as("ids starting with 'bad' are rejected").isEqualTo(400);
    assertThat(bad.json().getString("id")).isEqualTo("id:pintxo:tokens::bad-1");
    assertThat(bad.message()).isNotBlank();
    assertThat(good.status()).as("other ids are accepted").isEqualTo(200);
    assertThat(upsert(h2, "bad-2").status()).as("rejection holds every time").isEqualTo(400);
    assertThat(emulator.ids("tokens")).containsExactly("good-1");
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void outageClosesConnectionsUntilItEnds(HttpVersion version) {
    EmulatorHttp client = version == HttpVersion.HTTP_2 ? h2 : http;
    assertThat(upsert(client, "before").status()).isEqualTo(200);
    emulator.faults().outage(2000);

    assertThatThrownBy(() -> upsert(client, "during"))
        .as("the connection is closed without a response during an outage")
        .isNotInstanceOf(AssertionError.class);
    assertThat(emulator.document("tokens", "during")).isEmpty();

    AtomicReference<Object> last = new AtomicReference<>();
    Await.until("an operation to succeed after the outage", Duration.ofSeconds(20), () -> {
      try {
        Response response = upsert(client, "after");
        last.set(response.status());
        return response.status() == 200;
      } catch (RuntimeException e) {
        last.set(e);
        return false;
      }
    }, last::get);
    assertThat(emulator.document("tokens", "after")).as("after the outage operations are applied again").isPresent();
    assertThat(emulator.responsesByStatus()).as("the dropped requests got no response, so only 200s are counted")
        .containsOnlyKeys(200);
  }

  @Test
  void faultSwitchesRefuseNonsense() {
    VespaFaults faults = emulator.faults();
    assertThatThrownBy(() -> faults.errors(1.5, 500)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.latency(10, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.latency(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.maxInflight(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
