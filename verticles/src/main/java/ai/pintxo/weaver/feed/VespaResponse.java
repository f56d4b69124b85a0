package ai.pintxo.weaver.feed;

/**
 * Vespa's answer to one HTTP attempt.
 *
 * @param status       the HTTP status
 * @param message      the {@code message} of the JSON body, or empty
 * @param latencyNanos time from sending to the full response
 */
public record VespaResponse(int status, String message, long latencyNanos) {

  /** @return whether Vespa applied the operation */
  public boolean isSuccess() {
    return status == 200;
  }

  /**
   * Statuses worth another attempt: overload (429), unavailable or failing containers (5xx),
   * timeouts (504) and a blocked feed (507, until disk is freed).
   */
  public boolean isRetryable() {
    return status == 429 || status >= 500;
  }
}
