package ai.pintxo.weaver.poller;

/**
 * The result of one poll.
 *
 * @param dataType      the endpoint's data type
 * @param produced      records acknowledged by Kafka
 * @param unchanged     records left out because they equal the last ones produced for their keys
 * @param rejectedItems items dead-lettered because they did not fit the record type
 * @param pages         pages read
 * @param notModified   whether the server answered 304
 * @param ok            whether the response could be read
 * @param retryable     whether the failure was a {@link ai.pintxo.weaver.codecs.failure.RetriableFailure} (transport error, timeout, 429, 5xx, Kafka)
 */
record PollResult(String dataType, int produced, int unchanged, int rejectedItems, int pages, boolean notModified,
                  boolean ok, boolean retryable) {
  static PollResult skipped(String dataType) {
    return new PollResult(dataType, 0, 0, 0, 0, false, false, false);
  }
}
