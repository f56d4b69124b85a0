package ai.pintxo.weaver.substreams;

/** A substream stopped for good: a fatal status, an undo deeper than the buffer, a fenced producer. */
final class SubstreamsException extends RuntimeException {

  public SubstreamsException(String message) {
    super(message);
  }
}
