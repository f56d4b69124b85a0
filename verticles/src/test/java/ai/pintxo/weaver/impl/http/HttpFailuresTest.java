package ai.pintxo.weaver.impl.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpFailuresTest {

  static final RecordOrigin ORIGIN = RecordOrigin.source("https://api.example/x");

  @Test
  void retriableStatusesCarryTheWaitAskedFor() {
    WeaverFailure limited = HttpFailures.status(ORIGIN, 429, "7", "HTTP 429");
    assertThat(limited).isInstanceOf(RetriableFailure.class);
    assertThat(((RetriableFailure) limited).status()).isEqualTo(429);
    assertThat(((RetriableFailure) limited).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(limited.origin()).isEqualTo(ORIGIN);
    for (int status : new int[] {408, 500, 502, 503}) {
      WeaverFailure failure = HttpFailures.status(ORIGIN, status, null, "HTTP " + status);
      assertThat(failure).as("HTTP %d", status).isInstanceOf(RetriableFailure.class);
      assertThat(((RetriableFailure) failure).retryAfter()).isEmpty();
    }
  }

  @Test
  void otherStatusesArePermanentAtThePollStage() {
    for (int status : new int[] {301, 400, 401, 403, 404, 410}) {
      WeaverFailure failure = HttpFailures.status(ORIGIN, status, null, "HTTP " + status);
      assertThat(failure).as("HTTP %d", status).isInstanceOf(PermanentFailure.class);
      assertThat(((PermanentFailure) failure).status()).isEqualTo(status);
      assertThat(failure.stage()).isEqualTo("poll");
    }
  }

  @Test
  void timeoutsAreToldApartByTypeNotMessage() {
    assertThat(HttpFailures.transport(ORIGIN, new RuntimeException(new SocketTimeoutException()), Duration.ofSeconds(3), "read"))
        .isInstanceOf(TimeoutFailure.class).hasMessageContaining("3000 ms");
    assertThat(HttpFailures.transport(ORIGIN, new IllegalStateException("the timeout setting is odd"), Duration.ofSeconds(3), "read"))
        .as("a message that mentions a timeout is no timeout").isNotInstanceOf(TimeoutFailure.class).isInstanceOf(RetriableFailure.class);
    assertThat(HttpFailures.transport(ORIGIN, new ConnectException("Connection refused"), Duration.ofSeconds(3), "connect"))
        .isNotInstanceOf(TimeoutFailure.class).isInstanceOf(RetriableFailure.class);
    PermanentFailure typed = new PermanentFailure(ORIGIN, "poll", 404, "gone", null);
    assertThat(HttpFailures.transport(ORIGIN, typed, Duration.ofSeconds(3), "x")).as("a typed failure stays as it is").isSameAs(typed);
  }

  @Test
  void vertxIdleTimeoutIsATimeoutFailure() {
    // The exception Vert.x really raises when a server accepts and never answers: recognised by its type.
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer silent = Await.result(vertx.createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1"));
      HttpClient client = vertx.createHttpClient();
      Throwable error = Await.result(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
              .setPort(silent.actualPort()).setURI("/").setIdleTimeout(200))
          .compose(request -> request.send())
          .transform(ar -> Future.succeededFuture(ar.cause())));
      assertThat(error).as("the request failed").isNotNull();
      assertThat(HttpFailures.transport(ORIGIN, error, Duration.ofMillis(200), "request")).isInstanceOf(TimeoutFailure.class);
    } finally {
      Await.result(vertx.close());
    }
  }
}
