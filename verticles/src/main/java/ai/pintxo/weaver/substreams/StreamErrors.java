package ai.pintxo.weaver.substreams;

import io.vertx.grpc.common.GrpcStatus;

/**
 * What to do when a stream ends with a gRPC status, after the Go sink: authentication, invalid
 * arguments, failed preconditions and exhausted quotas are fatal (retrying cannot help and would
 * hammer the provider); everything else, including {@code UNAVAILABLE} on server shutdown and
 * {@code INTERNAL} on a reset stream, is retried from the last committed cursor.
 */
final class StreamErrors {

  private StreamErrors() {
  }

  /**
   * @param status  the status
   * @param message its message
   * @return true when the stream must not be retried
   */
  public static boolean isFatal(GrpcStatus status, String message) {
    return switch (status) {
      case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, FAILED_PRECONDITION, UNIMPLEMENTED, NOT_FOUND -> true;
      case RESOURCE_EXHAUSTED -> message != null && message.toLowerCase().contains("quota exceeded");
      default -> false;
    };
  }

  /** @return an operator-facing hint for a fatal status */
  public static String hint(GrpcStatus status) {
    return switch (status) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> "check the API key or token (environment variable or key file)";
      case INVALID_ARGUMENT -> "the request or package was refused: check outputModule, startBlock, stopBlock, params and the stored cursor";
      case FAILED_PRECONDITION -> "the server refused the request's limits";
      case RESOURCE_EXHAUSTED -> "the provider's quota is used up";
      case UNIMPLEMENTED, NOT_FOUND -> "the endpoint does not serve sf.substreams.rpc.v2.Stream/Blocks";
      default -> "";
    };
  }
}
