package ai.pintxo.weaver.feed;

/** The feeder was closed before the operation finished: it was not acknowledged and must be fed again later. */
final class FeederClosedException extends RuntimeException {

  public FeederClosedException(String documentId) {
    super("feeder closed before " + documentId + " was acknowledged", null, false, false);
  }
}
