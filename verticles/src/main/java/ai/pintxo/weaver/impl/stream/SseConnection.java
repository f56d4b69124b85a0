package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.config.Redact;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP request answered by a {@code text/event-stream}: parses the body as it arrives and
 * tells its listener about events, comments (keep-alives) and the end.
 */
public final class SseConnection implements StreamConnection {

  private final HttpClient client;
  private final String url;
  private final MultiMap headers;
  private final Listener listener;
  private HttpClientResponse response;
  private boolean ended;
  private boolean paused;

  public SseConnection(HttpClient client, String url, MultiMap headers, Listener listener) {
    this.client = client;
    this.url = url;
    this.headers = headers;
    this.listener = listener;
  }

  @Override
  public Future<Void> open() {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setHeaders(headers)
            .putHeader("Accept", "text/event-stream").putHeader("Cache-Control", "no-cache"))
        .compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().transform(ar -> Future.failedFuture(StreamRefusedException.of(RecordOrigin.source(Redact.url(url)),
                resp.statusCode(), resp.getHeader("Retry-After"), ar.succeeded() ? ar.result().toString() : "")));
          }
          response = resp;
          if (paused) {
            resp.pause(); // paused while connecting: no byte is read until resumed
          }
          SseParser parser = new SseParser(e -> {
            if (!ended) {
              listener.event(this, e);
            }
          }, () -> listener.activity(this));
          resp.handler(buffer -> {
            if (!ended) {
              listener.activity(this);
              parser.feed(buffer.getBytes());
            }
          });
          resp.exceptionHandler(err -> end(err));
          resp.endHandler(v -> end(null));
          return Future.<Void>succeededFuture();
        });
  }

  private void end(Throwable cause) {
    if (!ended) {
      ended = true;
      listener.ended(this, cause);
    }
  }

  @Override
  public void pause() {
    paused = true;
    if (response != null) {
      response.pause();
    }
  }

  @Override
  public void resume() {
    paused = false;
    if (response != null) {
      response.resume();
    }
  }

  /**
   * @return completes when the connection is closed (HTTP/1.x: the stream owns its connection, so
   *     the server has seen the end when this completes); over HTTP/2 the stream is reset and the
   *     shared connection stays
   */
  @Override
  public Future<Void> close() {
    ended = true;
    if (response == null) {
      return Future.succeededFuture();
    }
    if (response.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      response.request().reset();
      return Future.succeededFuture();
    }
    return response.request().connection().close().recover(err -> Future.succeededFuture());
  }
}
