package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentJson;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentPut;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.codecs.vespa.JsonBytes;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VespaTransport} straight on Netty's HTTP/2 codec, on the Vert.x context's own event loop (no
 * thread of its own): HTTP/2 with prior knowledge on {@code http://}, ALPN h2 on {@code https://}
 * (optional mTLS client certificate, bearer token). What it saves over {@link HttpVespaTransport}
 * (the profile of issue 15: Vert.x's request objects, header maps, futures and one flush per
 * request were most of the feeder's CPU):
 * <ul>
 *   <li>one flush per event-loop turn for every request written in it, not one per request;</li>
 *   <li>headers in a small array ({@code ReadOnlyHttp2Headers}) with the repeating names and values
 *       made once; the path never enters HPACK's dynamic table (it changes every request, and would
 *       only evict what repeats);</li>
 *   <li>the JSON encoded once into a reused array and copied once into the outgoing buffer;</li>
 *   <li>one object and one promise per request; streams in a map of ints per connection.</li>
 * </ul>
 * Failure semantics are {@link HttpVespaTransport}'s: Vespa's {@code timeout} on every request, the
 * sweep fails requests that outlived it by a margin (or never got a connection), a lost connection
 * fails its requests with {@link HttpClosedException} (retryable), streams a GOAWAY says were not
 * processed fail the same way and new requests go to a new connection, an endpoint that does not speak
 * HTTP/2 fails with a protocol error and is retried at most once per {@link #PROTOCOL_HOLD_OFF_NANOS}.
 * Speaks only HTTP/2: {@code protocol} {@code http1} and {@code auto} use {@link HttpVespaTransport}
 * ({@link VespaTransports}).
 *
 * <p>Threading: create it and call it on an event-loop context; answers complete on that event loop.
 */
public final class NettyHttp2Transport implements VespaTransport {

  private static final Logger LOG = LoggerFactory.getLogger(NettyHttp2Transport.class);
  static final long CLIENT_TIMEOUT_MARGIN_MILLIS = 5_000;
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  static final long PROTOCOL_HOLD_OFF_NANOS = HttpVespaTransport.PROTOCOL_HOLD_OFF_NANOS;
  private static final AsciiString POST = AsciiString.cached("POST");
  private static final AsciiString PUT = AsciiString.cached("PUT");
  private static final AsciiString DELETE = AsciiString.cached("DELETE");
  static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  static final AsciiString CONTENT_ENCODING = AsciiString.cached("content-encoding");
  static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
  private static final AsciiString JSON = AsciiString.cached("application/json");
  private static final AsciiString GZIP = AsciiString.cached("gzip");

  private final Vertx vertx;
  private final VespaFeedOptions options;
  private final EventLoop loop;
  /**
   * The context answers complete in: Netty's callbacks run on its event loop but outside any Vert.x
   * context, where a timer the feeder sets (a retry's backoff) would land on another event loop.
   */
  final ContextInternal context;
  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final SslContext ssl;
  private final String host;
  private final int port;
  private boolean answered;
  final AsciiString scheme;
  final AsciiString authority;
  /** The headers after the pseudo-headers, made once: with a body, gzipped, and without one. */
  final AsciiString[] jsonHeaders;
  final AsciiString[] gzipHeaders;
  final AsciiString[] noBodyHeaders;
  private final List<Slot> slots = new ArrayList<>();
  private final JsonBytes body = new JsonBytes(2048);
  private final RequestPaths paths = new RequestPaths();
  /** Read on every write: the options object looks it up in a map. */
  private final int maxStreams;
  private final GzipEncoder gzipEncoder = new GzipEncoder();
  private final long sweepTimer;
  private final Runnable flushTask = this::flushAll;
  private final boolean tailTasks;
  private boolean flushScheduled;
  private boolean closed;
  Throwable protocolFailure;
  long protocolFailureNanos;

  /** Call on an event-loop context: its event loop runs the connections. */
  public NettyHttp2Transport(Vertx vertx, VespaFeedOptions options) {
    ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).unwrap();
    this.context = context;
    if (!context.isEventLoopContext()) {
      throw new IllegalStateException("the netty transport runs on an event-loop context");
    }
    this.vertx = vertx;
    this.options = options;
    this.maxStreams = options.getMaxStreamsPerConnection();
    this.loop = context.nettyEventLoop();
    this.tailTasks = loop instanceof SingleThreadEventLoop;
    URI uri = URI.create(options.getEndpoint());
    boolean tls = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.address = InetSocketAddress.createUnresolved(uri.getHost(), port);
    this.scheme = AsciiString.cached(tls ? "https" : "http");
    this.authority = new AsciiString(uri.getHost() + ":" + port);
    AsciiString token = options.getBearerToken() == null ? null : new AsciiString("Bearer " + options.getBearerToken());
    this.jsonHeaders = token == null ? new AsciiString[] {CONTENT_TYPE, JSON} : new AsciiString[] {CONTENT_TYPE, JSON, AUTHORIZATION, token};
    this.gzipHeaders = token == null ? new AsciiString[] {CONTENT_TYPE, JSON, CONTENT_ENCODING, GZIP}
        : new AsciiString[] {CONTENT_TYPE, JSON, CONTENT_ENCODING, GZIP, AUTHORIZATION, token};
    this.noBodyHeaders = token == null ? new AsciiString[0] : new AsciiString[] {AUTHORIZATION, token};
    this.ssl = tls ? sslContext(options) : null;
    this.host = uri.getHost();
    this.port = port;
    VertxInternal internal = (VertxInternal) vertx;
    this.bootstrap = new Bootstrap().group(loop)
        .channelFactory(internal.transport().channelFactory(false))
        .resolver(internal.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    for (int i = 0; i < options.getConnections(); i++) {
      slots.add(new Slot());
    }
    this.sweepTimer = vertx.setPeriodic(1000, t -> sweep());
  }

  private static SslContext sslContext(VespaFeedOptions options) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient()
          .endpointIdentificationAlgorithm("HTTPS")
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
      if (options.getCertificate() != null) {
        builder.keyManager(new File(options.getCertificate()), new File(options.getPrivateKey()));
      }
      if (options.getCaCertificates() != null) {
        builder.trustManager(new File(options.getCaCertificates()));
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("vespa TLS settings: " + e.getMessage(), e);
    }
  }

  int maxStreams() {
    return maxStreams;
  }

  @Override
  public Future<VespaResponse> send(DocumentOperation operation, long timeoutMillis) {
    if (!loop.inEventLoop()) { // not the way the feeder calls it, but never touch the connections off their loop
      Promise<VespaResponse> hop = Promise.promise();
      loop.execute(() -> send(operation, timeoutMillis).onComplete(hop));
      return hop.future();
    }
    long start = System.nanoTime();
    if (closed) {
      return Future.failedFuture(new HttpClosedException("the Vespa transport is closed"));
    }
    if (protocolFailure != null && start - protocolFailureNanos < PROTOCOL_HOLD_OFF_NANOS) {
      return Future.failedFuture(protocolFailure);
    }
    Slot slot = leastLoaded();
    NettyH2Request request = new NettyH2Request(slot, start, start + (timeoutMillis + CLIENT_TIMEOUT_MARGIN_MILLIS) * 1_000_000,
        start + (CONNECT_TIMEOUT_MILLIS + CLIENT_TIMEOUT_MARGIN_MILLIS) * 1_000_000L);
    request.method = method(operation);
    request.path = paths.path(operation.id(), operation instanceof DocumentUpdate update && update.create(), timeoutMillis);
    JsonBytes json = DocumentJson.write(operation, body.reset());
    if (json.size() > 0) {
      boolean gzip = options.getCompressAboveBytes() >= 0 && json.size() > options.getCompressAboveBytes();
      request.headers = gzip ? gzipHeaders : jsonHeaders;
      // straight into the buffer that goes to the wire (the encoder's array is reused by the next request)
      if (gzip) {
        byte[] zipped = gzipEncoder.encode(json.array(), json.size());
        request.body = PooledByteBufAllocator.DEFAULT.directBuffer(zipped.length).writeBytes(zipped);
      } else {
        request.body = PooledByteBufAllocator.DEFAULT.directBuffer(json.size()).writeBytes(json.array(), 0, json.size());
      }
    } else {
      request.headers = noBodyHeaders;
    }
    slot.outstanding++;
    connection(slot).submit(request);
    return request.promise.future();
  }

  /** The slot's connection, opened when it has none (first use, or the last one closed or went away). */
  NettyH2Connection connection(Slot slot) {
    NettyH2Connection connection = slot.connection;
    if (connection == null || !connection.acceptsRequests()) {
      connection = NettyH2Connection.create(this, slot);
      slot.connection = connection;
      connection.open(bootstrap, address, ssl, host, port);
    }
    return connection;
  }

  /** Flushes every connection written to in this event-loop turn, once, after the turn's tasks. */
  void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      if (tailTasks) {
        ((SingleThreadEventLoop) loop).executeAfterEventLoopIteration(flushTask);
      } else {
        loop.execute(flushTask);
      }
    }
  }

  private void flushAll() {
    flushScheduled = false;
    ContextInternal previous = context.beginDispatch();
    try {
      for (Slot slot : slots) {
        for (NettyH2Connection c : List.copyOf(slot.all)) {
          c.flushIfDirty();
        }
      }
    } finally {
      context.endDispatch(previous);
    }
  }

  /** A connection failed in a way that says the endpoint does not speak HTTP/2 (before any HTTP/2 answer). */
  void protocolFailed(Throwable cause) {
    if (answered) {
      return; // an HTTP/2 answer came before: an ordinary failure, retried
    }
    if (protocolFailure == null) {
      LOG.atWarn().addKeyValue("endpoint", options.getEndpoint()).addKeyValue("cause", cause.getMessage())
          .log("feed.protocol_mismatch: the endpoint does not speak HTTP/2; set vespa.protocol to http1 or auto for a proxy that speaks only HTTP/1.1");
    }
    protocolFailure = cause;
    protocolFailureNanos = System.nanoTime();
  }

  /** An HTTP/2 answer came: protocol errors from now on are ordinary failures. */
  void http2Answered() {
    answered = true;
  }

  /**
   * Fails requests that outlived Vespa's timeout by the margin (a silent connection) or waited for a
   * connection longer than the connect timeout by the margin, with a timeout, so the feeder retries
   * them. One sweep a second instead of a timer per request.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (Slot slot : slots) {
      for (NettyH2Connection c : List.copyOf(slot.all)) {
        c.sweep(now);
      }
    }
  }

  private Slot leastLoaded() {
    Slot best = slots.get(0);
    for (int i = 1; i < slots.size(); i++) {
      if (slots.get(i).outstanding < best.outstanding) {
        best = slots.get(i);
      }
    }
    return best;
  }

  /** @return outstanding requests per connection, for tests and diagnostics */
  public List<Integer> outstandingPerConnection() {
    return slots.stream().map(s -> s.outstanding).toList();
  }

  String endpoint() {
    return options.getEndpoint();
  }

  Vertx vertx() {
    return vertx;
  }

  private static AsciiString method(DocumentOperation operation) {
    return operation instanceof DocumentUpdate ? PUT : operation instanceof DocumentPut ? POST : DELETE;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    Runnable closeAll = () -> {
      if (!closed) {
        closed = true;
        vertx.cancelTimer(sweepTimer);
        gzipEncoder.close();
      }
      List<Future<Void>> closing = new ArrayList<>();
      for (Slot slot : slots) {
        for (NettyH2Connection c : List.copyOf(slot.all)) {
          closing.add(c.close());
        }
      }
      Future.join(closing).<Void>mapEmpty().onComplete(done);
    };
    if (loop.inEventLoop()) {
      closeAll.run();
    } else {
      loop.execute(closeAll);
    }
    return done.future();
  }

  /**
   * One of the {@code connections}: its current connection, and any older one still finishing its
   * streams (after a GOAWAY). Requests go to the slot with the fewest outstanding.
   */
  static final class Slot {
    NettyH2Connection connection;
    final List<NettyH2Connection> all = new ArrayList<>(2);
    int outstanding;
  }
}
