package ai.pintxo.weaver.poller;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression: {@code minute hour day-of-month month day-of-week}, each field
 * {@code *}, a number, a range {@code a-b}, a step {@code *}{@code /n} or {@code a-b/n} or {@code a/n},
 * or a comma-separated list of those. Day of week is 0–7, Sunday being 0 and 7. As in classic cron,
 * when both day of month and day of week are restricted a day matching either fires. Immutable.
 */
public final class CronSchedule {

  private static final String[] NAMES = {"minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final int[] MIN = {0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 23, 31, 12, 7};
  /** Four years hold every combination of day of month, month and day of week (leap days included). */
  private static final int SEARCH_DAYS = 4 * 366 + 1;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String expression, BitSet[] fields, boolean anyDayOfMonth, boolean anyDayOfWeek) {
    this.expression = expression;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
  }

  /**
   * @param expression e.g. {@code "0 6 * * 1-5"} (06:00 on weekdays)
   * @return the schedule
   * @throws IllegalArgumentException naming the field and the part that is wrong
   */
  public static CronSchedule parse(String expression) {
    if (expression == null) {
      throw new IllegalArgumentException("cron expression is missing");
    }
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has " + parts.length
          + " fields, expected 5 (minute hour day-of-month month day-of-week)");
    }
    BitSet[] fields = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], i, expression);
    }
    if (fields[4].get(7)) {
      fields[4].set(0); // 7 is Sunday too
      fields[4].clear(7);
    }
    if (fields[2].isEmpty() || fields[4].isEmpty()) {
      throw new IllegalArgumentException("cron expression '" + expression + "' never fires");
    }
    CronSchedule schedule = new CronSchedule(expression.trim(), fields, parts[2].equals("*"), parts[4].equals("*"));
    try {
      schedule.next(java.time.ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("cron expression '" + expression + "' never fires (no such day)");
    }
    return schedule;
  }

  private static BitSet field(String text, int index, String expression) {
    BitSet bits = new BitSet();
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), index, part, expression, 1, MAX[index]);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = MIN[index];
        to = MAX[index];
      } else if (range.indexOf('-') > 0) {
        from = number(range.substring(0, range.indexOf('-')), index, part, expression, MIN[index], MAX[index]);
        to = number(range.substring(range.indexOf('-') + 1), index, part, expression, MIN[index], MAX[index]);
        if (to < from) {
          throw new IllegalArgumentException(NAMES[index] + " '" + part + "' of cron expression '" + expression
              + "': range goes backwards");
        }
      } else {
        from = number(range, index, part, expression, MIN[index], MAX[index]);
        to = slash >= 0 ? MAX[index] : from; // "a/n" means from a to the end, every n
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, int index, String part, String expression, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(NAMES[index] + " '" + part + "' of cron expression '" + expression
          + "': '" + text + "' is not a number");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(NAMES[index] + " '" + part + "' of cron expression '" + expression
          + "': " + value + " is outside " + min + "-" + max);
    }
    return value;
  }

  /**
   * @param after a time
   * @return the first firing time strictly after it, at a whole minute, in its time zone
   */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusDays(SEARCH_DAYS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalStateException("cron expression '" + expression + "' has no firing time within four years of " + after);
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  @Override
  public String toString() {
    return expression;
  }
}
