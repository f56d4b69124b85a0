package ai.pintxo.weaver.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in config: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, or ISO-8601 {@code PT5M}. */
public final class Durations {

  /** The longest duration accepted: a century, far from where nanosecond arithmetic overflows (292 years). */
  public static final Duration MAX = Duration.ofDays(36_500);

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {
  }

  /**
   * @param text the duration text
   * @return the duration
   * @throws IllegalArgumentException with the accepted forms when it cannot be read
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO; // no unit needed for nothing ("conflationInterval": "0")
    }
    Matcher m = SIMPLE.matcher(s);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return bounded(d, text);
      } catch (NumberFormatException | ArithmeticException e) {
        throw tooLong(text);
      }
    }
    try {
      return bounded(Duration.parse(s), text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 500ms, 30s, 5m, 24h, 7d or PT5M)");
    }
  }

  /**
   * Users of a duration count in nanoseconds and add it to {@code System.nanoTime()} (deadlines, circuit
   * breakers, watchdogs): a value beyond {@link #MAX} would overflow there, far from its key, so it is
   * refused here, where the key is known.
   */
  private static Duration bounded(Duration d, String text) {
    if (d.compareTo(MAX) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException("'" + text + "' is too long (at most " + format(MAX) + ")");
  }

  /** @return the shortest exact text of {@link #parse} for a duration */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms > 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0 && ms > 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0 && ms > 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
