package ai.pintxo.weaver.pyth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured feeds, checked: an id must be 64 hex digits (with or without {@code 0x}); a
 * malformed one (the original list has ids of 57, 63 and 65 digits, any of which makes Hermes
 * refuse a whole subscription) is reported by name and left out, and so is an id the Hermes
 * catalog does not know. The rest are streamed.
 */
final class FeedList {

  private static final Pattern ID = Pattern.compile("(?:0x)?([0-9a-fA-F]{64})");

  static final String LISTED_TWICE = "listed twice";

  /** A feed left out, and why. */
  public record Rejected(String id, String symbol, String reason) {

    /** @return whether this entry repeats a feed that is streamed anyway (the id itself is not left out) */
    public boolean duplicate() {
      return reason.equals(LISTED_TWICE);
    }
  }

  private final List<PythFeed> accepted;
  private final List<Rejected> rejected;

  private FeedList(List<PythFeed> accepted, List<Rejected> rejected) {
    this.accepted = Collections.unmodifiableList(accepted);
    this.rejected = Collections.unmodifiableList(rejected);
  }

  /**
   * @param configured the entries as configured, in order, duplicates included (symbol may be empty)
   * @param catalog    the Hermes catalog (id → feed), or null when it could not be fetched
   * @return the feeds to stream and the ones left out
   */
  public static FeedList check(List<PythFeedOptions> configured, Map<String, PythFeed> catalog) {
    List<PythFeed> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (PythFeedOptions entry : configured) {
      String rawId = entry.getId();
      String symbol = entry.getSymbol();
      var m = ID.matcher(rawId.trim());
      if (!m.matches()) {
        String digits = rawId.trim().startsWith("0x") ? rawId.trim().substring(2) : rawId.trim();
        rejected.add(new Rejected(rawId, symbol, "malformed: " + digits.length() + " characters, a feed id has 64 hex digits"));
        continue;
      }
      String id = m.group(1).toLowerCase(Locale.ROOT);
      if (!seen.add(id)) {
        rejected.add(new Rejected(rawId, symbol, LISTED_TWICE));
        continue;
      }
      if (catalog != null && !catalog.containsKey(id)) {
        rejected.add(new Rejected(rawId, symbol, "unknown to Hermes"));
        continue;
      }
      PythFeed known = catalog == null ? null : catalog.get(id);
      String name = known != null ? known.symbol() : symbol;
      accepted.add(new PythFeed(id, name, known != null ? known.base() : PythFeed.baseOf(name)));
    }
    return new FeedList(accepted, rejected);
  }

  public List<PythFeed> accepted() {
    return accepted;
  }

  public List<Rejected> rejected() {
    return rejected;
  }

  /** @return the accepted feeds in groups of at most {@code size}, one stream each (URLs have a length limit) */
  public List<List<PythFeed>> groups(int size) {
    List<List<PythFeed>> groups = new ArrayList<>();
    for (int i = 0; i < accepted.size(); i += size) {
      groups.add(accepted.subList(i, Math.min(accepted.size(), i + size)));
    }
    return groups;
  }
}
