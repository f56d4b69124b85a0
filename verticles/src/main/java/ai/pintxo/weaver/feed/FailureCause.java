package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.impl.http.HttpFailures;
import io.vertx.core.http.HttpClosedException;

/**
 * Why a request to Vespa failed, in the words an operator acts on: a refused connection (Vespa is
 * down or the port is wrong), DNS, TLS (certificates), protocol (the endpoint does not speak
 * HTTP/2), a timeout, a connection closed under the request, or an HTTP status. Told by type,
 * walking the cause chain, never by message.
 */
enum FailureCause {
  CONNECTION_REFUSED("connection refused"),
  DNS("DNS"),
  TLS("TLS"),
  PROTOCOL("protocol"),
  TIMEOUT("timeout"),
  CONNECTION_CLOSED("connection closed"),
  HTTP_STATUS("HTTP status"),
  OTHER("transport");

  private final String label;

  FailureCause(String label) {
    this.label = label;
  }

  /** @return the operator's words for it, e.g. {@code connection refused} */
  public String label() {
    return label;
  }

  /** @return the cause of a transport failure (never {@link #HTTP_STATUS}) */
  static FailureCause of(Throwable error) {
    if (HttpFailures.isTimeout(error)) {
      return TIMEOUT;
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return CONNECTION_REFUSED;
      }
      if (t instanceof java.net.UnknownHostException) {
        return DNS;
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return TLS;
      }
      if (t instanceof io.netty.handler.codec.http2.Http2Exception) {
        return PROTOCOL;
      }
      if (t instanceof HttpClosedException) {
        return CONNECTION_CLOSED;
      }
    }
    return OTHER;
  }
}
