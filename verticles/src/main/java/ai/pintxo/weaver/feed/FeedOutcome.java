package ai.pintxo.weaver.feed;

/**
 * The final result of feeding one operation, after all retries.
 *
 * @param success  whether Vespa applied it
 * @param status   the last HTTP status
 * @param message  Vespa's message when it refused the operation, else empty
 * @param attempts HTTP attempts made
 * @param latencyNanos time from {@code feed} to the final answer, retries included
 */
public record FeedOutcome(boolean success, int status, String message, int attempts, long latencyNanos) {
}
