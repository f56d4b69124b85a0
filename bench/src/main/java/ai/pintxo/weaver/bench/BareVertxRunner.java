package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.feed.VespaPaths;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/**
 * The transport limit: a bare Vert.x HTTP/2 client sending the same requests, encoded before the
 * timed run exactly as the weaver puts them on the wire (gzip above 512 bytes), with a fixed window
 * of connections × streams. No ordering, retries, throttling or metrics.
 */
final class BareVertxRunner extends FeedClientRunner {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final HttpClient client;
  private final String host;
  private final int port;

  BareVertxRunner(String endpoint, int connections, int streams) {
    super(endpoint, connections, streams);
    URI uri = URI.create(endpoint);
    host = uri.getHost();
    port = uri.getPort();
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
            .setHttp2MultiplexingLimit(streams).setHttp2ConnectionWindowSize(16 << 20))
        .with(new PoolOptions().setHttp2MaxSize(connections))
        .build();
  }

  @Override
  protected String name() {
    return "vertx-bare";
  }

  private record Encoded(String uri, Buffer body, boolean gzip) {
  }

  @Override
  protected long feed(List<DocumentUpdate> ops, long[] latencies) throws Exception {
    List<Encoded> requests = new ArrayList<>(ops.size());
    for (DocumentUpdate op : ops) {
      byte[] body = DocumentJson.body(op);
      boolean gzip = body.length > 512;
      requests.add(new Encoded(VespaPaths.documentPath(op.id()) + "?create=true&timeout=60000ms", Buffer.buffer(gzip ? gzip(body) : body), gzip));
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    int window = connections * streams;
    context.runOnContext(v -> {
      int[] state = new int[2]; // submitted, completed
      long[] errors = {0};
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        while (state[0] < requests.size() && state[0] - state[1] < window) {
          int i = state[0]++;
          Encoded r = requests.get(i);
          long start = System.nanoTime();
          client.request(new RequestOptions().setMethod(HttpMethod.PUT).setHost(host).setPort(port).setURI(r.uri()))
              .compose(req -> {
                req.putHeader("Content-Type", "application/json");
                if (r.gzip()) {
                  req.putHeader("Content-Encoding", "gzip");
                }
                return req.send(r.body());
              })
              .compose(resp -> resp.end().map(x -> resp.statusCode()))
              .onComplete(ar -> {
                state[1]++;
                latencies[i] = System.nanoTime() - start;
                if (ar.failed() || ar.result() != 200) {
                  errors[0]++;
                }
                if (state[1] == requests.size()) {
                  done.complete(errors[0]);
                } else {
                  next[0].run();
                }
              });
        }
      };
      next[0].run();
    });
    return done.get();
  }

  private static byte[] gzip(byte[] body) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  @Override
  protected void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
