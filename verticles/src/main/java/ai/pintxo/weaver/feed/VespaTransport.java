package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import io.vertx.core.Future;

/**
 * Sends one document operation to Vespa, one HTTP attempt, no retries: the seam between the
 * feeder's control flow and the wire (vespa-feed-client's {@code Cluster}).
 */
public interface VespaTransport {

  /**
   * @param operation     the operation
   * @param timeoutMillis Vespa's {@code timeout} for this attempt
   * @return Vespa's answer; fails only on transport errors (connection refused or reset, timeout)
   */
  Future<VespaResponse> send(DocumentOperation operation, long timeoutMillis);

  /** Closes connections. */
  Future<Void> close();
}
