package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.trace.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the {@link VespaTransport} that {@code vespa.transport} asks for, where it can serve. */
public final class VespaTransports {

  private static final Logger LOG = LoggerFactory.getLogger(VespaTransports.class);

  private VespaTransports() {
  }

  /**
   * @return a {@link NettyHttp2Transport} for {@code transport=netty}, unless something only the Vert.x
   *     client does is needed (then an {@link HttpVespaTransport}, and a line that says why)
   */
  public static VespaTransport create(Vertx vertx, VespaFeedOptions options) {
    if ("netty".equals(options.getTransport())) {
      String why = whyNotNetty(vertx, options);
      if (why == null) {
        return new NettyHttp2Transport(vertx, options);
      }
      LOG.atInfo().addKeyValue("reason", why).log("feed.transport: the Vert.x HTTP client feeds Vespa ({})", why);
    }
    return new HttpVespaTransport(vertx, options);
  }

  /** @return why the netty transport cannot serve these options here, or null */
  static String whyNotNetty(Vertx vertx, VespaFeedOptions options) {
    if (!"http2".equals(options.getProtocol())) {
      return "protocol " + options.getProtocol() + " may need HTTP/1.1, which only the Vert.x client speaks";
    }
    if (Tracing.of(vertx).on()) {
      return "tracing is on, and the Vert.x client makes each request's span";
    }
    if (!((ContextInternal) vertx.getOrCreateContext()).isEventLoopContext()) {
      return "not on an event-loop context";
    }
    return null;
  }
}
