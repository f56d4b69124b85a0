package ai.pintxo.weaver.codecs.vespa;

/**
 * The text before an assigned value, {@code "name":{"assign":}, made once per field name: field names
 * repeat in every operation of a document type, and writing the head as plain ASCII skips the
 * per-character escaping of {@link JsonBytes#string}. A small open-addressed table shared by all
 * threads: entries are immutable (final fields), so a reader sees a whole entry or none, and a
 * writer that loses a race only loses its entry, made again on a later miss.
 */
final class FieldHeads {

  private static final int SLOTS = 1024;
  private static final Entry[] ENTRIES = new Entry[SLOTS];
  private static final int MAX_PROBES = 8;
  private static int used;

  private record Entry(String name, String head) {
  }

  private FieldHeads() {
  }

  /** @return the head of an assign of the field, or null when the name needs escaping (written the long way) */
  static String assign(String name) {
    // Open addressing by the name's hash (cached in the String): names sharing a slot must not evict
    // each other, or two interleaved fields would make their heads again every time.
    int slot = name.hashCode() & (SLOTS - 1);
    int probes = 0;
    for (Entry entry = ENTRIES[slot]; entry != null; entry = ENTRIES[slot = (slot + 1) & (SLOTS - 1)]) {
      if (entry.name == name || entry.name.equals(name)) {
        return entry.head;
      }
      if (++probes == MAX_PROBES) {
        return plain(name) ? "\"" + name + "\":{\"assign\":" : null; // a crowded run: made, not kept
      }
    }
    if (!plain(name)) {
      return null;
    }
    String head = "\"" + name + "\":{\"assign\":";
    if (used < SLOTS / 2) { // a racy count, only a bound that keeps the table sparse (the probe limit makes it safe)
      used++;
      ENTRIES[slot] = new Entry(name, head);
    }
    return head;
  }

  /** Printable ASCII without quote or backslash: written as it is. */
  private static boolean plain(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
