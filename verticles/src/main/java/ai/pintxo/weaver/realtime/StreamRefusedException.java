package ai.pintxo.weaver.realtime;

/** The server answered a stream request with a status other than the stream (a 4xx or 5xx, with its body). */
public final class StreamRefusedException extends RuntimeException {

  private final int status;
  private final String retryAfter;
  private final String body;

  public StreamRefusedException(int status, String retryAfter, String body) {
    super("HTTP " + status + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)), null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body;
  }

  public int status() {
    return status;
  }

  /** @return the {@code Retry-After} header, or null */
  public String retryAfter() {
    return retryAfter;
  }

  public String body() {
    return body;
  }
}
