package ai.pintxo.weaver.feed;

/**
 * Decides how many requests may be outstanding. The feeder reports every answer; the throttler
 * answers with the current limit. Implementations are confined to the feeder's context.
 */
interface Throttler {

  /** @return requests that may be outstanding now */
  int limit();

  /**
   * Vespa applied or refused an operation (any answer but back-pressure).
   *
   * @param latencyNanos time from sending to the answer
   * @param inflight     requests outstanding when it was sent
   */
  void success(long latencyNanos, int inflight);

  /** Vespa pushed back (429, 503, 504) or the request timed out. */
  void throttled();
}
