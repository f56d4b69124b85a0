package ai.pintxo.weaver.testkit.substreams;

import io.vertx.grpc.common.GrpcStatus;

/**
 * A scripted mid-stream failure: instead of sending block {@code atBlock}, the emulator ends the
 * stream with this status (optionally after a {@code fatal_error} message). With a null status the
 * stream stalls instead: it stays open and sends nothing more (a hung provider). Fires once.
 *
 * @param atBlock    the block not sent
 * @param status     the status, e.g. {@code UNAVAILABLE} or {@code INTERNAL}; null to stall
 * @param message    the status message
 * @param fatalError whether a {@code fatal_error} message precedes the status
 */
public record Fault(long atBlock, GrpcStatus status, String message, boolean fatalError) {

  /** @return a stall at that block */
  public static Fault stall(long atBlock) {
    return new Fault(atBlock, null, "stalled", false);
  }
}
