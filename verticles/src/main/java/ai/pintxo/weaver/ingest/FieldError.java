package ai.pintxo.weaver.ingest;

import io.vertx.core.json.JsonObject;

/**
 * Why one item of an ingest request was refused.
 *
 * @param item  the item's index in the request (0 for a single object; the element of an array; the
 *              non-blank line of NDJSON), or -1 when the body as a whole is wrong
 * @param field the offending field's path, or null when the item as a whole is wrong
 * @param error what was wrong, e.g. {@code expected number (long), got string "x"}
 */
public record FieldError(int item, String field, String error) {

  /** @return the error as the 400 answer lists it */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (item >= 0) {
      json.put("item", item);
    }
    if (field != null) {
      json.put("field", field);
    }
    return json.put("error", error);
  }
}
