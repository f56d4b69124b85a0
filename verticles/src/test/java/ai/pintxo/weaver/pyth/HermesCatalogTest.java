package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog's request is bounded as a whole: a Hermes that answers 200 and then trickles fails it in time. */
class HermesCatalogTest {

  Vertx vertx;
  HttpServer server;
  final AtomicBoolean hungUp = new AtomicBoolean();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse response = req.response().setChunked(true).putHeader("Content-Type", "application/json");
      response.writeHead();
      byte[] body = "[{\"id\":\"0x01\",\"attributes\":{\"symbol\":\"Crypto.BTC/USD\"}}]".getBytes();
      int[] sent = {0};
      long timer = vertx.setPeriodic(100, id -> {
        if (sent[0] < body.length && !response.closed()) {
          response.write(Buffer.buffer(new byte[] {body[sent[0]++]}));
        }
      });
      response.closeHandler(v -> {
        hungUp.set(true);
        vertx.cancelTimer(timer);
      });
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aTricklingCatalogFailsAtItsTimeLimitAndTheConnectionIsReset() {
    String endpoint = "http://127.0.0.1:" + server.actualPort();
    HttpClient client = vertx.createHttpClient();
    RequestBudget budget = RequestBudget.forUrl(vertx, URI.create(endpoint), 100, Duration.ofSeconds(1));
    Promise<Map<String, PythFeed>> catalog = Promise.promise();
    // On an event loop, as in the verticle: the deadline's timer and the response's handlers share its context.
    vertx.getOrCreateContext().runOnContext(v -> HermesCatalog.fetch(vertx, client, endpoint, "", MultiMap.caseInsensitiveMultiMap(),
        budget, Duration.ofSeconds(1), Duration.ofMillis(700)).onComplete(catalog));
    Throwable error = catalog.future().toCompletionStage().handle((ok, err) -> err).toCompletableFuture().join();

    assertThat(error).isInstanceOf(TimeoutFailure.class)
        .hasMessageContaining("/v2/price_feeds").hasMessageContaining("within 700 ms");
    assertThat(((TimeoutFailure) error).limit()).isEqualTo(Duration.ofMillis(700));
    Await.until("Hermes saw the request reset", Duration.ofSeconds(10), hungUp::get, hungUp::get);
  }
}
