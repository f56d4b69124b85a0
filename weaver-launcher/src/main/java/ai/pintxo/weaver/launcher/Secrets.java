package ai.pintxo.weaver.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Masks secret values in configuration before it is printed or logged. */
final class Secrets {

  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(token|password|secret|jaas|credential|api[._-]?key|private|authorization|cookie).*");

  private Secrets() {
  }

  /** @return a copy with the values of secret-looking keys replaced by {@code ***} */
  static JsonObject mask(JsonObject config) {
    JsonObject out = new JsonObject();
    for (String key : config.fieldNames()) {
      Object value = config.getValue(key);
      if (SECRET_KEY.matcher(key).matches() && value != null && !(value instanceof JsonObject)) {
        out.put(key, "***");
      } else {
        out.put(key, maskValue(value));
      }
    }
    return out;
  }

  private static Object maskValue(Object value) {
    if (value instanceof JsonObject o) {
      return mask(o);
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(maskValue(v)));
      return out;
    }
    return value;
  }
}
