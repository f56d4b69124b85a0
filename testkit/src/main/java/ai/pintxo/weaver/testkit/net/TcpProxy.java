package ai.pintxo.weaver.testkit.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a server (Vespa's emulator), for the faults a network makes: it forwards
 * bytes both ways until told to {@link #dropAll() drop} every connection, which cuts requests in the
 * middle, with data in flight both ways (HTTP/2 streams open, responses half sent); or to drop them
 * {@link #dropEvery(long) periodically}. New connections are accepted again at once.
 *
 * <p>Threading: sockets live on the proxy's event loop; the switches may be flipped from any thread.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile long dropTimer = -1;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
  }

  /** @return the proxy, listening on a free port of 127.0.0.1 */
  public static Future<TcpProxy> start(Vertx vertx, String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(vertx, targetHost, targetPort);
    proxy.server.connectHandler(proxy::accept);
    return proxy.server.listen().map(s -> proxy);
  }

  private void accept(NetSocket downstream) {
    connections.incrementAndGet();
    downstream.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        downstream.close();
        return;
      }
      NetSocket upstream = ar.result();
      sockets.add(downstream);
      sockets.add(upstream);
      downstream.pipeTo(upstream);
      upstream.pipeTo(downstream);
      downstream.closeHandler(v -> {
        sockets.remove(downstream);
        upstream.close();
      });
      upstream.closeHandler(v -> {
        sockets.remove(upstream);
        downstream.close();
      });
      downstream.resume();
    });
  }

  /** @return the port clients connect to */
  public int port() {
    return server.actualPort();
  }

  /** @return {@code http://127.0.0.1:<port>}, the target as clients see it */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Closes every open connection, both sides, whatever is in flight on it. */
  public void dropAll() {
    vertx.runOnContext(v -> {
      for (NetSocket socket : sockets) {
        dropped.incrementAndGet();
        socket.close();
      }
    });
  }

  /**
   * Drops every connection every {@code millis} until {@link #stopDropping()}.
   *
   * @return this
   */
  public TcpProxy dropEvery(long millis) {
    stopDropping();
    dropTimer = vertx.setPeriodic(millis, t -> dropAll());
    return this;
  }

  /** Stops the periodic drops; connections made from now on stay up. */
  public void stopDropping() {
    long timer = dropTimer;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      dropTimer = -1;
    }
  }

  /** @return socket closes forced so far (two per proxied connection) */
  public long dropped() {
    return dropped.get();
  }

  /** @return connections accepted so far */
  public long connections() {
    return connections.get();
  }

  public Future<Void> close() {
    stopDropping();
    sockets.forEach(NetSocket::close);
    return server.close().compose(v -> client.close());
  }
}
