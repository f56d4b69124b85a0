package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Response;
import ai.pintxo.weaver.substreams.pb.rpc.v2.StreamGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

/** The Vert.x gRPC client of {@code sf.substreams.rpc.v2.Stream/Blocks}: HTTP/2, TLS unless plaintext, large messages. */
final class GrpcStreams {

  /** The generated method descriptor of {@code Stream/Blocks}. */
  static final ServiceMethod<Response, Request> BLOCKS = StreamGrpcClient.Blocks;

  private GrpcStreams() {
  }

  static GrpcClient client(Vertx vertx, SubstreamsOptions options) {
    String host = options.getEndpoint().substring(0, options.getEndpoint().lastIndexOf(':'));
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setSsl(!options.isPlaintext())
        .setUseAlpn(!options.isPlaintext())
        .setForceSni(!options.isPlaintext())
        .setDefaultHost(host)
        .setConnectTimeout(10_000)
        .setKeepAlive(true);
    GrpcClientOptions grpc = new GrpcClientOptions().setMaxMessageSize(options.getMaxMessageSize());
    return GrpcClient.client(vertx, grpc, http);
  }

  /**
   * @param err      a stream failure
   * @param response the response, when one arrived
   * @return the gRPC status it carries, or null for a transport failure (connection refused, reset)
   */
  static Status status(Throwable err, GrpcClientResponse<Request, Response> response) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof GrpcErrorException g) {
        String message = response != null ? message(response) : "";
        return new Status(g.status(), message.isEmpty() && g.getMessage() != null ? g.getMessage() : message);
      }
    }
    if (response != null && response.status() != null && response.status() != GrpcStatus.OK) {
      return new Status(response.status(), message(response));
    }
    return null;
  }

  /** @return the status message; read from the trailers too, where the client's accessor misses it after messages */
  static String message(GrpcClientResponse<Request, Response> response) {
    String m = response.statusMessage();
    if (m == null && response.trailers() != null) {
      m = response.trailers().get("grpc-message");
      if (m != null) {
        m = java.net.URLDecoder.decode(m.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return m == null ? "" : m;
  }

  record Status(GrpcStatus status, String message) {
  }
}
