package ai.pintxo.weaver.testkit.vespa;

import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.assign;
import static ai.pintxo.weaver.testkit.vespa.EmulatorHttp.docPath;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.vespa.EmulatorHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Visiting: pages of documents linked by continuation tokens. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class VespaEmulatorVisitTest {

  private static final int DOCUMENTS = 250;

  private static VespaEmulator emulator;
  private static EmulatorHttp http;

  /** Feeds the fixture concurrently; the extension waits for every put and closes the Vert.x instance after the class. */
  @BeforeAll
  static void feed(Vertx vertx, VertxTestContext fixture) {
    emulator = VespaEmulator.start(vertx, new VespaEmulatorOptions()).await();
    http = new EmulatorHttp(vertx, emulator.port(), HttpVersion.HTTP_2);
    // A document of another type must not show up when visiting tokens.
    assertThat(http.send(HttpMethod.POST, docPath("protocol", "Aave"), "{\"fields\":{\"name\":\"Aave\"}}").status()).isEqualTo(200);

    Checkpoint fed = fixture.checkpoint(DOCUMENTS);
    Checkpoint counted = fixture.checkpoint();
    List<Future<Response>> puts = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      String id = i % 10 == 3 ? "tricky/" + i + " ?#%" : "coin-" + i;
      Future<Response> put = http.sendAsync(HttpMethod.PUT, docPath("tokens", id) + "?create=true",
          assign(Map.of("id", id, "symbol", "s" + i)).toBuffer(), Map.of("Content-Type", "application/json"));
      put.onComplete(fixture.succeeding(response -> fixture.verify(() -> {
        assertThat(response.status()).as("feeding the visit fixture").isEqualTo(200);
        fed.flag();
      })));
      puts.add(put);
    }
    Future.all(puts).onComplete(fixture.succeeding(all -> fixture.verify(() -> {
      assertThat(emulator.count("tokens")).isEqualTo(DOCUMENTS);
      counted.flag();
    })));
  }

  @AfterAll
  static void stop() {
    http.close();
    emulator.close().await();
  }

  @Test
  void followingContinuationsVisitsEveryDocumentOnce() {
    String base = "/document/v1/pintxo/tokens/docid/?wantedDocumentCount=100";
    Map<String, JsonObject> seen = new HashMap<>();
    List<Integer> pageSizes = new ArrayList<>();
    String continuation = null;
    do {
      String uri = continuation == null ? base : base + "&continuation=" + URLEncoder.encode(continuation, StandardCharsets.UTF_8);
      Response page = http.get(uri);
      assertThat(page.status()).as("visit page %s", uri).isEqualTo(200);
      JsonObject body = page.json();
      assertThat(body.getString("pathId")).isEqualTo("/document/v1/pintxo/tokens/docid/");
      JsonArray documents = body.getJsonArray("documents");
      assertThat(body.getInteger("documentCount")).as("documentCount matches the page").isEqualTo(documents.size());
      pageSizes.add(documents.size());
      for (int i = 0; i < documents.size(); i++) {
        JsonObject doc = documents.getJsonObject(i);
        assertThat(seen.put(doc.getString("id"), doc.getJsonObject("fields"))).as("%s visited twice", doc.getString("id")).isNull();
      }
      continuation = body.getString("continuation");
      assertThat(pageSizes.size()).as("the visit should end").isLessThanOrEqualTo(10);
    } while (continuation != null);

    assertThat(pageSizes).as("100 per page, the last page without continuation").containsExactly(100, 100, 50);
    assertThat(seen).as("every document exactly once").hasSize(DOCUMENTS);
    for (String id : emulator.ids("tokens")) {
      JsonObject fields = seen.get("id:pintxo:tokens::" + id);
      assertThat(fields).as("visited fields of %s", id).isEqualTo(emulator.document("tokens", id).orElseThrow());
      assertThat(fields.getString("id")).isEqualTo(id);
    }
  }

  @Test
  void visitingTheRootCoversEveryType() {
    Response page = http.get("/document/v1/?wantedDocumentCount=1000&cluster=content");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().getInteger("documentCount")).as("all tokens and the protocol").isEqualTo(DOCUMENTS + 1);
    assertThat(page.json().containsKey("continuation")).as("everything fit in one page").isFalse();
  }

  @Test
  void unknownClusterIsRejected() {
    Response response = http.get("/document/v1/pintxo/tokens/docid/?cluster=nope");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).isEqualTo(new JsonObject().put("pathId", "/document/v1/pintxo/tokens/docid/")
        .put("message", "Your Vespa deployment has no content cluster 'nope', only 'content'"));
  }

  @Test
  void dryRunOnAVisitIsRejected() {
    Response response = http.get("/document/v1/pintxo/tokens/docid/?dryRun=true");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("May not specify 'dryRun' at '/document/v1/pintxo/tokens/docid/'");
  }

  @Test
  void malformedContinuationIsABadRequest() {
    Response response = http.get("/document/v1/pintxo/tokens/docid/?continuation=not-a-token");
    assertThat(response.status()).as("a continuation the emulator did not issue is a client error: %s", response.body()).isEqualTo(400);
    assertThat(response.message()).isNotBlank();
  }
}
