package ai.pintxo.weaver.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A JSON parse failure of a config file as one line: Jackson's message without its multi-line
 * source excerpt, with the line and column, so a {@link ConfigException} about a file stays a
 * one-line error an operator can act on.
 */
public final class JsonErrors {

  private JsonErrors() {
  }

  /**
   * @param failure what decoding threw (a Vert.x {@code DecodeException}, a {@code ClassCastException}, …)
   * @return the reason, on one line
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j) {
        // Jackson's own location text names a redacted source: the line and column below say it better.
        String message = firstLine(j.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "");
        if (message.startsWith("No content to map")) {
          return "the file is empty";
        }
        if (message.startsWith("Cannot deserialize value of type")) {
          // Jackson names its own collection types: say what the file holds instead.
          message = "the file holds " + (message.contains("from Array value") ? "an array"
              : message.contains("from Object value") ? "an object" : "a single value");
        }
        JsonLocation at = j.getLocation();
        return at != null && at.getLineNr() > 0 ? message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : message;
      }
    }
    String message = firstLine(String.valueOf(failure.getMessage()));
    return message.startsWith("Failed to decode:") ? message.substring("Failed to decode:".length()).trim() : message;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).trim();
  }
}
