package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static ZonedDateTime at(String iso) {
    return ZonedDateTime.parse(iso + "Z").withZoneSameInstant(ZoneOffset.UTC);
  }

  private static String next(String cron, String after) {
    return CronSchedule.parse(cron).next(at(after)).toLocalDateTime().toString();
  }

  @Test
  void everyMinuteFiresAtTheNextWholeMinute() {
    assertThat(next("* * * * *", "2026-03-01T10:15:30")).isEqualTo("2026-03-01T10:16");
    assertThat(next("* * * * *", "2026-03-01T10:15:00")).as("strictly after").isEqualTo("2026-03-01T10:16");
    assertThat(next("* * * * *", "2026-12-31T23:59:59")).isEqualTo("2027-01-01T00:00");
  }

  @Test
  void fixedTimesListsRangesAndSteps() {
    assertThat(next("0 6 * * *", "2026-03-01T05:59:00")).isEqualTo("2026-03-01T06:00");
    assertThat(next("0 6 * * *", "2026-03-01T06:00:00")).as("tomorrow once today's run is past").isEqualTo("2026-03-02T06:00");
    assertThat(next("*/15 * * * *", "2026-03-01T10:16:00")).isEqualTo("2026-03-01T10:30");
    assertThat(next("5,35 9-10 * * *", "2026-03-01T10:36:00")).isEqualTo("2026-03-02T09:05");
    assertThat(next("10-50/20 * * * *", "2026-03-01T10:31:00")).isEqualTo("2026-03-01T10:50");
    assertThat(next("10/20 * * * *", "2026-03-01T10:51:00")).as("a/n runs from a to the end").isEqualTo("2026-03-01T11:10");
    assertThat(next("30 2 1 */3 *", "2026-02-10T00:00:00")).as("quarterly").isEqualTo("2026-04-01T02:30");
  }

  @Test
  void dayOfWeekWithSundayAsZeroOrSeven() {
    // 2026-03-01 is a Sunday.
    assertThat(next("0 6 * * 1-5", "2026-03-01T00:00:00")).as("weekdays").isEqualTo("2026-03-02T06:00");
    assertThat(next("0 6 * * 1-5", "2026-03-06T07:00:00")).as("Friday after the run: Monday").isEqualTo("2026-03-09T06:00");
    assertThat(next("0 0 * * 0", "2026-03-02T00:00:00")).isEqualTo("2026-03-08T00:00");
    assertThat(next("0 0 * * 7", "2026-03-02T00:00:00")).isEqualTo("2026-03-08T00:00");
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekFireOnEither() {
    // The 13th, or any Friday: after Sunday 2026-03-01 the first is Friday the 6th.
    assertThat(next("0 0 13 * 5", "2026-03-01T00:00:00")).isEqualTo("2026-03-06T00:00");
    assertThat(next("0 0 13 * 5", "2026-03-06T00:00:00")).isEqualTo("2026-03-13T00:00");
  }

  @Test
  void monthEndsAndLeapDays() {
    assertThat(next("0 0 31 * *", "2026-04-01T00:00:00")).isEqualTo("2026-05-31T00:00");
    assertThat(next("0 12 29 2 *", "2026-03-01T00:00:00")).as("next leap day").isEqualTo("2028-02-29T12:00");
  }

  @Test
  void badExpressionsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> CronSchedule.parse("0 6 * *")).hasMessageContaining("has 4 fields, expected 5");
    assertThatThrownBy(() -> CronSchedule.parse("60 * * * *")).hasMessageContaining("minute '60'").hasMessageContaining("outside 0-59");
    assertThatThrownBy(() -> CronSchedule.parse("0 24 * * *")).hasMessageContaining("hour '24'");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 0 * *")).hasMessageContaining("day-of-month '0'");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 * 13 *")).hasMessageContaining("month '13'");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 * * MON")).hasMessageContaining("day-of-week 'MON'").hasMessageContaining("not a number");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 * * 5-1")).hasMessageContaining("range goes backwards");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessageContaining("outside 1-59");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *")).hasMessageContaining("never fires");
  }
}
