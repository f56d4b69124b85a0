package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentPut;
import ai.pintxo.weaver.codecs.vespa.DocumentRemove;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.codecs.vespa.JsonBytes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VespaTransport} over the Vert.x HTTP client: HTTP/2 with prior knowledge on {@code http://}
 * (as Vespa's own feed client does), ALPN h2 on {@code https://} with an optional mTLS client
 * certificate (Vespa Cloud's data plane) or bearer token. {@code connections} clients of one
 * connection each, every request to the one with the fewest outstanding; gzip for bodies above a
 * threshold; Vespa's {@code timeout} on every request.
 *
 * <p>{@code protocol}: {@code http1} speaks HTTP/1.1 with keep-alive (a proxy in front of Vespa
 * that speaks nothing else), one request at a time on each connection; {@code auto} starts with
 * HTTP/2 and, when the endpoint answers the HTTP/2 preface with something else before any HTTP/2
 * answer, switches to HTTP/1.1 for good and says so once. With {@code http2} against such an
 * endpoint every request fails; new connections are then attempted at most once per
 * {@link #PROTOCOL_HOLD_OFF_NANOS} (in between, requests fail at once with the same error), since
 * each failed attempt costs a connection and a couple of log lines in the HTTP client.
 *
 * <p>Threading: call from one context (the feeder's); answers complete there.
 */
public final class HttpVespaTransport implements VespaTransport {

  /** Extra time the client waits beyond Vespa's own timeout before giving up on a response. */
  private static final long CLIENT_TIMEOUT_MARGIN_MILLIS = 5_000;
  private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
  /** After a protocol failure with {@code protocol=http2}: how long requests fail without connecting. */
  static final long PROTOCOL_HOLD_OFF_NANOS = 1_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(HttpVespaTransport.class);

  private List<Connection> connections = new ArrayList<>();
  private final VespaFeedOptions options;
  private final boolean tls;
  private HttpVersion version;
  /** Whether an HTTP/2 answer ever came: after one, a protocol error is not a reason to fall back. */
  private boolean http2Answered;
  private Throwable protocolFailure;
  private long protocolFailureNanos;
  private final String host;
  private final int port;
  private final String authorization;
  /** Reused for every body: the transport is used from one context. */
  private final JsonBytes body = new JsonBytes(2048);
  private final GzipEncoder gzipEncoder = new GzipEncoder();
  /** Requests on the wire, in send order (identity-hashed: removal is O(1)). */
  private final java.util.Set<Outstanding> outstanding = new java.util.LinkedHashSet<>();
  private final Vertx vertx;
  private final long sweepTimer;

  public HttpVespaTransport(Vertx vertx, VespaFeedOptions options) {
    this.options = options;
    this.vertx = vertx;
    URI uri = URI.create(options.getEndpoint());
    this.tls = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.authorization = options.getBearerToken() == null ? null : "Bearer " + options.getBearerToken();
    this.version = "http1".equals(options.getProtocol()) ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_2;
    this.connections = connect(version);
    this.sweepTimer = vertx.setPeriodic(1000, t -> sweep());
  }

  private List<Connection> connect(HttpVersion protocol) {
    boolean http2 = protocol == HttpVersion.HTTP_2;
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(protocol)
        .setHttp2ClearTextUpgrade(false)
        .setSsl(tls)
        .setUseAlpn(tls && http2)
        .setHttp2MultiplexingLimit(options.getMaxStreamsPerConnection())
        .setHttp2ConnectionWindowSize(16 << 20)
        .setKeepAlive(true)
        .setPipelining(false)
        .setDefaultHost(host)
        .setDefaultPort(port)
        .setConnectTimeout((int) CONNECT_TIMEOUT_MILLIS)
        // A span per request only inside a record's trace (Tracing.within), never a trace of its own.
        .setTracingPolicy(TracingPolicy.PROPAGATE);
    if (options.getCertificate() != null) {
      http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getCertificate()).setKeyPath(options.getPrivateKey()));
    }
    if (options.getCaCertificates() != null) {
      http.setTrustOptions(new PemTrustOptions().addCertPath(options.getCaCertificates()));
    }
    // One connection per client either way: HTTP/2 multiplexes on it, HTTP/1.1 sends one request at a time on it.
    PoolOptions pool = new PoolOptions().setHttp2MaxSize(1).setHttp1MaxSize(1);
    List<Connection> created = new ArrayList<>();
    for (int i = 0; i < options.getConnections(); i++) {
      created.add(new Connection(vertx.httpClientBuilder().with(http).with(pool).build()));
    }
    return created;
  }

  /** @return the protocol requests go out with now */
  public HttpVersion protocol() {
    return version;
  }

  @Override
  public Future<VespaResponse> send(DocumentOperation operation, long timeoutMillis) {
    long start = System.nanoTime();
    if (protocolFailure != null && start - protocolFailureNanos < PROTOCOL_HOLD_OFF_NANOS) {
      return Future.failedFuture(protocolFailure);
    }
    Connection connection = leastLoaded();
    HttpVersion sentWith = version;
    StringBuilder uri = new StringBuilder(96).append(VespaPaths.documentPath(operation.id())).append('?');
    if (operation instanceof DocumentUpdate update && update.create()) {
      uri.append("create=true&");
    }
    uri.append("timeout=").append(timeoutMillis).append("ms");
    RequestOptions request = new RequestOptions()
        .setMethod(method(operation))
        .setTraceOperation(traceOperation(operation))
        .setHost(host)
        .setPort(port)
        .setURI(uri.toString());
    JsonBytes json = DocumentJson.write(operation, body.reset());
    boolean gzip = options.getCompressAboveBytes() >= 0 && json.size() > options.getCompressAboveBytes();
    Buffer payload = json.size() == 0 ? null
        : gzip ? Buffer.buffer(gzipEncoder.encode(json.array(), json.size())) : Buffer.buffer(json.size()).appendBytes(json.array(), 0, json.size());
    connection.outstanding++;
    Outstanding pending = new Outstanding(start + (timeoutMillis + CLIENT_TIMEOUT_MARGIN_MILLIS) * 1_000_000,
        start + (CONNECT_TIMEOUT_MILLIS + CLIENT_TIMEOUT_MARGIN_MILLIS) * 1_000_000);
    outstanding.add(pending);
    connection.client.request(request)
        .compose(req -> {
          pending.request = req;
          if (authorization != null) {
            req.putHeader("Authorization", authorization);
          }
          if (payload == null) {
            return req.send();
          }
          req.putHeader("Content-Type", "application/json");
          if (gzip) {
            req.putHeader("Content-Encoding", "gzip");
          }
          return req.send(payload);
        })
        .compose(response -> {
          if (sentWith == HttpVersion.HTTP_2 && response.version() == HttpVersion.HTTP_2) {
            http2Answered = true;
          }
          return answer(response, start);
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            pending.result.tryComplete(ar.result());
          } else {
            pending.result.tryFail(ar.cause()); // try: the sweep may have given up on it first
          }
        });
    // The answer, or the sweep's timeout when the client never gives one: every send completes.
    return pending.result.future()
        .andThen(ar -> {
          connection.outstanding--;
          outstanding.remove(pending);
          if (ar.failed() && connection.closedBecause == null && FailureCause.of(ar.cause()) == FailureCause.PROTOCOL) {
            protocolFailed(ar.cause());
          }
        })
        // a request queued on a client closed for a protocol failure failed for that reason, not "pool closed"
        .recover(err -> Future.failedFuture(connection.closedBecause != null ? connection.closedBecause : err));
  }

  /** The endpoint answered in a protocol it was not spoken to in: fall back (auto), or hold off new attempts (http2). */
  private void protocolFailed(Throwable cause) {
    if (version != HttpVersion.HTTP_2 || http2Answered) {
      return; // a stream error on a working HTTP/2 connection: an ordinary failure, retried
    }
    boolean fallBack = "auto".equals(options.getProtocol());
    if (fallBack) {
      LOG.atWarn().addKeyValue("endpoint", options.getEndpoint()).addKeyValue("cause", cause.getMessage())
          .log("feed.protocol_fallback: the endpoint does not speak HTTP/2; feeding over HTTP/1.1 with keep-alive");
      version = HttpVersion.HTTP_1_1;
    } else {
      if (protocolFailure == null) {
        LOG.atWarn().addKeyValue("endpoint", options.getEndpoint()).addKeyValue("cause", cause.getMessage())
            .log("feed.protocol_mismatch: the endpoint does not speak HTTP/2; set vespa.protocol to http1 or auto for a proxy that speaks only HTTP/1.1");
      }
      protocolFailure = cause;
      protocolFailureNanos = System.nanoTime();
    }
    // New clients; closing the old ones fails the requests queued for their connection at once. Left
    // alone, the pool would open a connection per queued request, each failing the same way.
    List<Connection> old = connections;
    connections = connect(version);
    old.forEach(c -> {
      c.closedBecause = cause;
      c.client.close();
    });
  }

  /**
   * Gives up on requests that outlived Vespa's timeout by the margin (a connection that went silent),
   * and on requests that never got a stream within the connect timeout by the margin (a connection
   * that died while they waited for it): each fails with a timeout, so the feeder retries it. One
   * sweep a second instead of a timer per request, which would cost more than the request.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (Outstanding pending : List.copyOf(outstanding)) {
      boolean onTheWire = pending.request != null;
      if (now < (onTheWire ? pending.deadlineNanos : pending.streamDeadlineNanos)) {
        continue;
      }
      java.util.concurrent.TimeoutException timeout = new java.util.concurrent.TimeoutException(onTheWire
          ? "no answer from Vespa within its timeout" : "no connection to Vespa for the request within the connect timeout");
      if (onTheWire) {
        pending.request.reset(0, timeout);
      }
      pending.result.tryFail(timeout); // in case the client never completes it
    }
  }

  /** A request on the wire (or waiting for a connection) and when to give up on it. */
  private static final class Outstanding {
    final long deadlineNanos;
    final long streamDeadlineNanos;
    final Promise<VespaResponse> result = Promise.promise();
    io.vertx.core.http.HttpClientRequest request;

    Outstanding(long deadlineNanos, long streamDeadlineNanos) {
      this.deadlineNanos = deadlineNanos;
      this.streamDeadlineNanos = streamDeadlineNanos;
    }
  }

  /** Reads only what a decision needs: the status, and Vespa's message when it is not a success. */
  private static Future<VespaResponse> answer(HttpClientResponse response, long start) {
    int status = response.statusCode();
    io.vertx.core.Promise<VespaResponse> answer = io.vertx.core.Promise.promise();
    if (status == 200) {
      response.exceptionHandler(answer::tryFail);
      response.endHandler(v -> answer.tryComplete(new VespaResponse(200, "", System.nanoTime() - start)));
    } else {
      response.body().onComplete(ar -> {
        if (ar.succeeded()) {
          answer.tryComplete(new VespaResponse(status, message(ar.result()), System.nanoTime() - start));
        } else {
          answer.tryFail(ar.cause());
        }
      });
    }
    return answer.future();
  }

  private Connection leastLoaded() {
    Connection best = connections.get(0);
    for (int i = 1; i < connections.size(); i++) {
      if (connections.get(i).outstanding < best.outstanding) {
        best = connections.get(i);
      }
    }
    return best;
  }

  /** @return outstanding requests per connection, for tests and diagnostics */
  public List<Integer> outstandingPerConnection() {
    return connections.stream().map(c -> c.outstanding).toList();
  }

  /** @return the name of the request's span (when tracing is on): what it does to the document */
  private static String traceOperation(DocumentOperation operation) {
    return operation instanceof DocumentUpdate ? "vespa update" : operation instanceof DocumentPut ? "vespa put" : "vespa remove";
  }

  private static HttpMethod method(DocumentOperation operation) {
    if (operation instanceof DocumentUpdate) {
      return HttpMethod.PUT;
    }
    if (operation instanceof DocumentPut) {
      return HttpMethod.POST;
    }
    if (operation instanceof DocumentRemove) {
      return HttpMethod.DELETE;
    }
    throw new IllegalArgumentException("unknown operation " + operation.getClass().getName());
  }

  /** Reads the {@code message} field of Vespa's JSON answer; other bodies (a proxy's HTML) are summarised. */
  static String message(Buffer body) {
    if (body == null || body.length() == 0) {
      return "";
    }
    try (JsonParser parser = ai.pintxo.weaver.codecs.Json.mapper().createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return abbreviate(body.toString());
      }
      for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
        String name = parser.currentName();
        parser.nextToken();
        if ("message".equals(name)) {
          return parser.getValueAsString("");
        }
        parser.skipChildren();
      }
      return "";
    } catch (IOException e) {
      return abbreviate(body.toString());
    }
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    gzipEncoder.close();
    return Future.join(connections.stream().map(c -> c.client.close()).toList()).mapEmpty();
  }

  /** One connection (a client with a pool of one) and its outstanding requests. */
  private static final class Connection {
    final HttpClient client;
    int outstanding;
    /** Set when the client was replaced after a protocol failure. */
    Throwable closedBecause;

    Connection(HttpClient client) {
      this.client = client;
    }
  }
}
