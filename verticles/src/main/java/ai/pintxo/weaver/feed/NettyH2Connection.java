package ai.pintxo.weaver.feed;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One HTTP/2 connection of {@link NettyHttp2Transport}: Netty's connection handler with this as its
 * frame listener. Requests wait in {@link #queued} until the server's first SETTINGS (so its stream
 * limit is known) and while the connection is at its stream limit; written ones are in
 * {@link #streams} by stream id until their answer, reset, timeout or the connection's end.
 */
final class NettyH2Connection extends Http2ConnectionHandler implements Http2FrameListener {

  /** Past this stream id the connection is retired (GOAWAY) and a new one opened: ids are 31 bits. */
  static final int LAST_STREAM_ID = Integer.MAX_VALUE - 1024;
  private static final int CONNECTION_WINDOW = 16 << 20;
  private static final AsciiString PATH = Http2Headers.PseudoHeaderName.PATH.value();

  private enum State { CONNECTING, READY, GOING_AWAY, CLOSED }

  private final NettyHttp2Transport transport;
  private final NettyHttp2Transport.Slot slot;
  private final IntObjectMap<NettyH2Request> streams = new IntObjectHashMap<>();
  private final ArrayDeque<NettyH2Request> queued = new ArrayDeque<>();
  private State state = State.CONNECTING;
  private ChannelHandlerContext ctx;
  private ChannelPromise quiet;
  private Channel channel;
  private ChannelFuture connecting;
  private int nextStreamId = 1;
  /** Written to since the last flush. */
  private boolean dirty;
  /** Why the connection ended, when it was not a plain close: the error its requests fail with. */
  private Throwable closeCause;
  private boolean sawSettings;
  int lastStreamId = LAST_STREAM_ID;

  private NettyH2Connection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                            NettyHttp2Transport transport, NettyHttp2Transport.Slot slot) {
    super(decoder, encoder, settings, false, true); // flush the preface: an h2c server waits for it before it says anything
    this.transport = transport;
    this.slot = slot;
    decoder.frameListener(this);
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        streamClosed(stream.id());
      }
    });
    gracefulShutdownTimeoutMillis(0);
  }

  static NettyH2Connection create(NettyHttp2Transport transport, NettyHttp2Transport.Slot slot) {
    return new Builder(transport, slot).build();
  }

  /** Connects; requests submitted meanwhile wait for the connection. */
  void open(Bootstrap bootstrap, SocketAddress address, SslContext ssl, String host, int port) {
    slot.all.add(this);
    connecting = bootstrap.clone().handler(new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (ssl != null) {
          ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
        }
        ch.pipeline().addLast(NettyH2Connection.this);
      }
    }).connect(address);
    channel = connecting.channel();
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        ContextInternal previous = transport.context.beginDispatch();
        try {
          ended(f.cause());
        } finally {
          transport.context.endDispatch(previous);
        }
      }
    });
  }

  boolean acceptsRequests() {
    return state == State.CONNECTING || state == State.READY;
  }

  void submit(NettyH2Request request) {
    if (state == State.CLOSED) { // failed at once (a refused connection): the request fails with it
      request.fail(closeCause != null ? reason(closeCause) : failure("connection closed"));
    } else if (state == State.READY && queued.isEmpty() && canOpenStream()) {
      write(request);
    } else {
      queued.add(request);
    }
  }

  private boolean canOpenStream() {
    return streams.size() < transport.maxStreams() && connection().local().canOpenStream();
  }

  private void write(NettyH2Request request) {
    int id = nextStreamId;
    if (id > lastStreamId || id < 0) {
      retire(request);
      return;
    }
    nextStreamId += 2;
    request.streamId = id;
    streams.put(id, request);
    ByteBuf body = request.body;
    request.body = null; // the codec owns it now
    Http2Headers headers = ReadOnlyHttp2Headers.clientHeaders(false, request.method, request.path, transport.scheme,
        transport.authority, request.headers);
    encoder().writeHeaders(ctx, id, headers, 0, body == null, quiet);
    if (connection().stream(id) == null) { // refused by the codec (e.g. the connection is closing)
      streams.remove(id);
      if (body != null) {
        body.release();
      }
      request.fail(failure("connection closed before the request was sent"));
      return;
    }
    if (body != null) {
      encoder().writeData(ctx, id, body, 0, true, quiet);
    }
    dirty = true;
    transport.scheduleFlush();
  }

  /** Stream ids ran out: this connection finishes what it has, a new one takes the rest. */
  private void retire(NettyH2Request request) {
    state = State.GOING_AWAY;
    goAway(ctx, nextStreamId - 2, Http2Error.NO_ERROR.code(), io.netty.buffer.Unpooled.EMPTY_BUFFER, ctx.newPromise());
    requeue(request);
    while (!queued.isEmpty()) {
      requeue(queued.poll());
    }
    closeIfIdle();
  }

  private void requeue(NettyH2Request request) {
    transport.connection(slot).submit(request);
  }

  /** Called by the transport once per event-loop turn. */
  void flushIfDirty() {
    if (state == State.READY) {
      while (!queued.isEmpty() && canOpenStream()) {
        write(queued.poll());
      }
    }
    if (dirty && ctx != null) {
      dirty = false;
      flush(ctx);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.quiet = new VoidChannelPromise(ctx.channel(), false); // failures reach the requests through stream closes
    super.handlerAdded(ctx);
  }

  // Netty calls these outside any Vert.x context: each runs in the transport's (see NettyHttp2Transport.context).

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    ContextInternal previous = transport.context.beginDispatch();
    try {
      super.channelRead(ctx, msg);
    } finally {
      transport.context.endDispatch(previous);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    ContextInternal previous = transport.context.beginDispatch();
    try {
      super.channelReadComplete(ctx);
    } finally {
      transport.context.endDispatch(previous);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
      String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
      if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        closeCause = Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "the endpoint did not agree to HTTP/2 over TLS (ALPN: %s)", protocol);
        ctx.close();
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    if (closeCause == null) {
      closeCause = http2Ex != null ? http2Ex : cause;
    }
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (closeCause == null) {
      closeCause = cause;
    }
    ContextInternal previous = transport.context.beginDispatch();
    try {
      if (io.netty.handler.codec.http2.Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
        super.exceptionCaught(ctx, cause); // GOAWAY and close, or a stream reset
      } else {
        ctx.close(); // I/O or TLS: the connection is lost; its requests fail with the cause
      }
    } finally {
      transport.context.endDispatch(previous);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ContextInternal previous = transport.context.beginDispatch();
    try {
      inactive(ctx);
    } finally {
      transport.context.endDispatch(previous);
    }
  }

  private void inactive(ChannelHandlerContext ctx) throws Exception {
    State before = state;
    state = State.CLOSED;
    if (before == State.CONNECTING && !sawSettings && closeCause instanceof Http2Exception) {
      transport.protocolFailed(closeCause);
    }
    super.channelInactive(ctx); // closes the streams: their requests fail in streamClosed
    ended(closeCause);
  }

  /** The connection is gone (or never came): everything still here fails, retryable. */
  private void ended(Throwable cause) {
    state = State.CLOSED;
    if (cause != null && closeCause == null) {
      closeCause = cause;
    }
    slot.all.remove(this);
    if (slot.connection == this) {
      slot.connection = null;
    }
    List<NettyH2Request> left = new ArrayList<>(streams.values());
    streams.clear();
    left.addAll(queued);
    queued.clear();
    Throwable failure = cause != null ? reason(cause) : failure("connection closed before Vespa answered");
    left.forEach(r -> r.fail(failure));
  }

  private void streamClosed(int id) {
    NettyH2Request request = streams.remove(id);
    if (request != null) {
      request.fail(closeCause != null ? reason(closeCause) : failure("stream closed before Vespa answered"));
    }
    if (!queued.isEmpty()) {
      transport.scheduleFlush(); // room for a queued request
    }
    closeIfIdle();
  }

  private void closeIfIdle() {
    if (state == State.GOING_AWAY && streams.isEmpty() && ctx != null) {
      ctx.close();
    }
  }

  /** What a request fails with when the connection ends: a closed connection, in words the feeder retries. */
  private static Throwable reason(Throwable cause) {
    if (cause instanceof Http2Exception || cause instanceof SSLException || cause instanceof java.net.ConnectException
        || cause instanceof HttpClosedException || cause instanceof TimeoutException) {
      return cause;
    }
    if (cause instanceof IOException) {
      return failure("connection lost: " + cause.getMessage());
    }
    return cause;
  }

  private static HttpClosedException failure(String message) {
    return new HttpClosedException(message);
  }

  /** Fails requests past their deadlines (see {@link NettyHttp2Transport}'s sweep). */
  void sweep(long now) {
    List<NettyH2Request> expired = null;
    for (NettyH2Request r : streams.values()) {
      if (now >= r.deadlineNanos) {
        (expired == null ? expired = new ArrayList<>() : expired).add(r);
      }
    }
    if (expired != null) {
      for (NettyH2Request r : expired) {
        streams.remove(r.streamId);
        r.fail(new TimeoutException("no answer from Vespa within its timeout"));
        if (state != State.CLOSED) {
          resetStream(ctx, r.streamId, Http2Error.CANCEL.code(), ctx.newPromise());
        }
      }
      dirty = true;
      transport.scheduleFlush();
    }
    while (!queued.isEmpty() && now >= queued.peek().streamDeadlineNanos) {
      queued.poll().fail(new TimeoutException("no connection to Vespa for the request within the connect timeout"));
    }
  }

  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    List<NettyH2Request> waiting = new ArrayList<>(queued);
    queued.clear();
    waiting.forEach(r -> r.fail(failure("the Vespa transport is closed")));
    if (connecting != null && !connecting.isDone()) {
      connecting.cancel(false);
    }
    channel.close().addListener(f -> closed.complete());
    return closed.future();
  }

  // ---- frames from the server

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
    if (!sawSettings) {
      sawSettings = true;
      // a large connection window: answers never wait for a WINDOW_UPDATE of ours
      connection().local().flowController().incrementWindowSize(connection().connectionStream(),
          CONNECTION_WINDOW - connection().local().flowController().windowSize(connection().connectionStream()));
      if (state == State.CONNECTING) {
        state = State.READY;
      }
      dirty = true; // the window update, and what waited for the connection: written by the turn's flush
      transport.scheduleFlush();
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
    NettyH2Request request = streams.get(streamId);
    if (request == null) {
      return;
    }
    CharSequence status = headers.status();
    if (status == null) { // trailers
      if (endOfStream) {
        answered(streamId, request);
      }
      return;
    }
    int code = AsciiString.of(status).parseInt();
    if (code >= 100 && code < 200) {
      return; // informational; the real answer follows
    }
    transport.http2Answered();
    request.status = code;
    if (endOfStream) {
      answered(streamId, request);
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
                            boolean exclusive, int padding, boolean endOfStream) {
    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
  }

  @Override
  public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int processed = data.readableBytes() + padding;
    NettyH2Request request = streams.get(streamId);
    if (request != null) {
      if (request.status != 200 && data.isReadable()) { // only a failure's message is read
        byte[] chunk = ByteBufUtil.getBytes(data);
        request.answer = request.answer == null ? chunk : concat(request.answer, chunk);
      }
      if (endOfStream) {
        answered(streamId, request);
      }
    }
    return processed;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private void answered(int streamId, NettyH2Request request) {
    streams.remove(streamId);
    String message = request.status == 200 || request.answer == null ? "" : HttpVespaTransport.message(Buffer.buffer(request.answer));
    request.complete(new VespaResponse(request.status, message, System.nanoTime() - request.startNanos));
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
    NettyH2Request request = streams.remove(streamId);
    if (request != null) {
      request.fail(new StreamResetException(errorCode));
    }
  }

  @Override
  public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    // Streams above lastStreamId were not processed: Netty closes them (their requests fail, retryable).
    // New requests go to a new connection; this one closes when its last answer came.
    if (state == State.READY || state == State.CONNECTING) {
      state = State.GOING_AWAY;
    }
    List<NettyH2Request> unprocessed = new ArrayList<>();
    for (NettyH2Request r : streams.values()) {
      if (r.streamId > lastStreamId) {
        unprocessed.add(r);
      }
    }
    unprocessed.forEach(r -> {
      streams.remove(r.streamId);
      r.fail(failure("Vespa closed the connection (GOAWAY) before processing the request"));
    });
    while (!queued.isEmpty()) {
      requeue(queued.poll());
    }
    closeIfIdle();
  }

  @Override
  public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight, boolean exclusive) {
  }

  @Override
  public void onSettingsAckRead(ChannelHandlerContext ctx) {
  }

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) {
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext ctx, long data) {
  }

  @Override
  public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers, int padding) {
  }

  @Override
  public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
  }

  @Override
  public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags, ByteBuf payload) {
  }

  /** Netty's builder, with what the transport needs: no push, the path and token never in HPACK's table. */
  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<NettyH2Connection, Builder> {
    private final NettyHttp2Transport transport;
    private final NettyHttp2Transport.Slot slot;

    Builder(NettyHttp2Transport transport, NettyHttp2Transport.Slot slot) {
      this.transport = transport;
      this.slot = slot;
      // The priority tree of Netty's default byte distributor (a state object per stream, a priority queue
      // updated on every write) showed in the feeder's profile; requests here have no priorities, and the
      // uniform distributor spreads the window over the streams with data in a plain queue.
      DefaultHttp2Connection connection = new DefaultHttp2Connection(false);
      connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
      connection(connection);
      validateHeaders(false);
      frameListener(new Http2FrameAdapter()); // replaced by the connection itself
      initialSettings(new Http2Settings().pushEnabled(false).initialWindowSize(1 << 20));
      // The path changes with every request: indexing it would only evict the headers that repeat.
      headerSensitivityDetector((name, value) -> PATH.contentEquals(name) || NettyHttp2Transport.AUTHORIZATION.contentEqualsIgnoreCase(name));
    }

    @Override
    protected NettyH2Connection build() {
      return super.build();
    }

    @Override
    protected NettyH2Connection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new NettyH2Connection(decoder, encoder, settings, transport, slot);
    }
  }
}
