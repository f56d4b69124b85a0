package ai.pintxo.weaver.testkit.api;

/** How the API emulator answers one data type's endpoint. */
public enum ApiBehaviour {
  /** 200 with the generated payload. */
  NORMAL,
  /** 200 with an HTML error page, as a CDN or captive portal sends. */
  HTML,
  /** 200 with the payload cut in the middle. */
  TRUNCATED_JSON,
  /** 500 with a JSON error body. */
  SERVER_ERROR,
  /** 200 with the payload, but the first item has a field of the wrong type. */
  WRONG_FIELD_TYPE,
  /**
   * 200 at once, then the payload one byte at a time (every 100 ms unless {@link ApiEmulator#trickle} says
   * otherwise): never idle, never done, like a throttled proxy or an overloaded server.
   */
  TRICKLE,
  /** The answer given with {@link ApiEmulator#answer}: any status, headers and body (a bad-input corpus case). */
  CANNED
}
