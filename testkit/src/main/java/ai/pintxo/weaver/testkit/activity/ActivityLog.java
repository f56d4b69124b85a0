package ai.pintxo.weaver.testkit.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an emulator served, unit by unit and member by member: the requests and connections of
 * every weaver process, so that a cluster test can tell which process served which unit, when a
 * unit moved, and whether two processes ever served one unit at once.
 *
 * <p>Threading: written from the emulator's event loop, read from the test thread; every method is
 * synchronized (the log is small: one entry per request or connection).
 */
public final class ActivityLog {

  private static final Pattern MEMBER = Pattern.compile("member ([^\\s)]+)");

  private final Clock clock;
  private final List<Entry> entries = new ArrayList<>();

  public ActivityLog() {
    this(Clock.systemUTC());
  }

  public ActivityLog(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param userAgent a {@code User-Agent} header such as {@code pintxo-data-weaver (member w1)}, or null
   * @return the member it names, or {@link Activity#UNKNOWN}
   */
  public static String memberOf(String userAgent) {
    if (userAgent == null) {
      return Activity.UNKNOWN;
    }
    Matcher m = MEMBER.matcher(userAgent);
    return m.find() ? m.group(1) : Activity.UNKNOWN;
  }

  /** @return a gRPC {@code weaver-member} header's value, or {@link Activity#UNKNOWN} when absent or blank */
  public static String memberOrUnknown(String member) {
    return member == null || member.isBlank() ? Activity.UNKNOWN : member.trim();
  }

  /**
   * Records a request or connection opening now.
   *
   * @return its handle, for {@link #close(long)}
   */
  public synchronized long open(String unit, String member) {
    entries.add(new Entry(unit, member, clock.instant()));
    return entries.size() - 1;
  }

  /** Records that it closed now; a second close (end, then connection close) keeps the first. */
  public synchronized void close(long handle) {
    Entry e = entries.get((int) handle);
    if (e.closed == null) {
      e.closed = clock.instant();
    }
  }

  /** @return every request and connection, in the order they opened */
  public synchronized List<Activity> all() {
    return entries.stream().map(Entry::activity).toList();
  }

  /** @return the units seen, sorted */
  public synchronized Set<String> units() {
    Set<String> units = new TreeSet<>();
    entries.forEach(e -> units.add(e.unit));
    return units;
  }

  /** @return the members that served a unit at some moment of [from, to], sorted */
  public Set<String> members(String unit, Instant from, Instant to) {
    Set<String> members = new TreeSet<>();
    for (Activity a : all()) {
      if (a.unit().equals(unit) && a.during(from, to)) {
        members.add(a.member());
      }
    }
    return members;
  }

  /** @return unit → the members that served it at some moment of [from, to] */
  public Map<String, Set<String>> membersByUnit(Instant from, Instant to) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Activity a : all()) {
      if (a.during(from, to)) {
        out.computeIfAbsent(a.unit(), u -> new TreeSet<>()).add(a.member());
      }
    }
    return out;
  }

  /** @return member → the units it served at some moment of [from, to] */
  public Map<String, Set<String>> unitsByMember(Instant from, Instant to) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Activity a : all()) {
      if (a.during(from, to)) {
        out.computeIfAbsent(a.member(), m -> new TreeSet<>()).add(a.unit());
      }
    }
    return out;
  }

  /** @return members with a connection to a unit open now */
  public Set<String> openNow(String unit) {
    Set<String> members = new TreeSet<>();
    for (Activity a : all()) {
      if (a.unit().equals(unit) && a.isOpen()) {
        members.add(a.member());
      }
    }
    return members;
  }

  /** @return the first request or connection to a unit opened at or after {@code from} by a member other than {@code not} */
  public Optional<Activity> firstAfter(String unit, Instant from, String not) {
    return all().stream().filter(a -> a.unit().equals(unit) && !a.opened().isBefore(from) && !a.member().equals(not))
        .min(Comparator.comparing(Activity::opened));
  }

  /** @return every pair of one unit's requests or connections by two members that were open at the same moment */
  public List<Overlap> overlaps() {
    Instant now = clock.instant();
    List<Activity> all = all();
    List<Overlap> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Activity a = all.get(i);
        Activity b = all.get(j);
        if (a.unit().equals(b.unit()) && !a.member().equals(b.member()) && a.overlaps(b, now)) {
          out.add(new Overlap(a, b));
        }
      }
    }
    return out;
  }

  /** @return whether two members' requests or connections to one unit were ever open at the same moment */
  public boolean overlapped(String unit, String member, String other) {
    return overlaps().stream().anyMatch(o -> o.first().unit().equals(unit)
        && Set.of(o.first().member(), o.second().member()).equals(Set.of(member, other)));
  }

  /**
   * For units polled at an interval: a member's request following another member's request to the
   * same unit sooner than {@code interval} (start to start) means both were polling it.
   *
   * @return each such pair of consecutive requests
   */
  public List<Handover> handoversCloserThan(Duration interval) {
    Map<String, List<Activity>> byUnit = new TreeMap<>();
    for (Activity a : all()) {
      byUnit.computeIfAbsent(a.unit(), u -> new ArrayList<>()).add(a);
    }
    List<Handover> out = new ArrayList<>();
    byUnit.forEach((unit, list) -> {
      list.sort(Comparator.comparing(Activity::opened));
      for (int i = 1; i < list.size(); i++) {
        Activity before = list.get(i - 1);
        Activity after = list.get(i);
        Duration between = Duration.between(before.opened(), after.opened());
        if (!before.member().equals(after.member()) && between.compareTo(interval) < 0) {
          out.add(new Handover(unit, before, after, between));
        }
      }
    });
    return out;
  }

  /** Two members serving one unit at the same moment. */
  public record Overlap(Activity first, Activity second) {
  }

  /** A unit's request by one member followed by another member's, {@code between} apart (start to start). */
  public record Handover(String unit, Activity before, Activity after, Duration between) {
  }

  private static final class Entry {
    final String unit;
    final String member;
    final Instant opened;
    Instant closed;

    Entry(String unit, String member, Instant opened) {
      this.unit = unit;
      this.member = member;
      this.opened = opened;
    }

    Activity activity() {
      return new Activity(unit, member, opened, closed);
    }
  }
}
