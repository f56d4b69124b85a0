package ai.pintxo.weaver.codecs.vespa;

/**
 * The text before an assigned value, {@code "name":{"assign":}, made once per field name: field names
 * repeat in every operation of a document type, and writing the head as plain ASCII skips the
 * per-character escaping of {@link JsonBytes#string}. A small direct-mapped cache shared by all
 * threads: entries are immutable, so a racing writer only replaces one with an equal one.
 */
final class FieldHeads {

  private static final int SLOTS = 512;
  private static final Entry[] ENTRIES = new Entry[SLOTS];

  private record Entry(String name, String head) {
  }

  private FieldHeads() {
  }

  /** @return the head of an assign of the field, or null when the name needs escaping (written the long way) */
  static String assign(String name) {
    int slot = name.hashCode() & (SLOTS - 1);
    Entry entry = ENTRIES[slot];
    if (entry != null && (entry.name == name || entry.name.equals(name))) {
      return entry.head;
    }
    if (!plain(name)) {
      return null;
    }
    String head = "\"" + name + "\":{\"assign\":";
    ENTRIES[slot] = new Entry(name, head);
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
