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
  WRONG_FIELD_TYPE
}
