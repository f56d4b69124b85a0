package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request path of each operation ({@link VespaPaths#documentPath} plus the query), written as
 * bytes for {@link NettyHttp2Transport}: the parts that repeat (the {@code /document/v1/ns/type/docid/}
 * prefix per document type, the query per timeout) are encoded once, so a request costs the id's
 * bytes and one array, not a concatenated string, a {@code StringBuilder} and a copy into an
 * {@link AsciiString}. Not thread-safe: one per transport, on its event loop.
 */
final class RequestPaths {

  /** Document types a feeder writes are few: a small open-addressed table holds their prefixes. */
  private static final int SLOTS = 64;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private final String[] namespaces = new String[SLOTS];
  private final String[] types = new String[SLOTS];
  private final byte[][] prefixes = new byte[SLOTS][];
  private int used;
  private long queryTimeout = -1;
  private byte[] createQuery;
  private byte[] plainQuery;
  private byte[] buffer = new byte[256];

  /**
   * @param id      the document
   * @param create  whether the query says {@code create=true}
   * @param timeoutMillis Vespa's timeout for the request
   * @return {@code /document/v1/<ns>/<type>/docid/<id>?[create=true&]timeout=<t>ms}
   */
  AsciiString path(DocumentId id, boolean create, long timeoutMillis) {
    byte[] prefix = prefix(id);
    byte[] query = query(create, timeoutMillis);
    String user = id.userSpecific();
    int n = user.length();
    byte[] out = room(prefix.length + 3 * n + query.length);
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int size = prefix.length;
    for (int i = 0; i < n; i++) {
      char c = user.charAt(i);
      if (unreserved(c)) {
        out[size++] = (byte) c;
      } else if (c == ' ') {
        out[size++] = '+';
      } else if (c < 0x80) {
        out[size++] = '%';
        out[size++] = HEX[c >> 4];
        out[size++] = HEX[c & 0xF];
      } else { // rare: non-ASCII ids go through the JDK's encoder, as VespaPaths does it
        byte[] encoded = VespaPaths.encode(user).getBytes(StandardCharsets.US_ASCII);
        out = room(prefix.length + encoded.length + query.length);
        System.arraycopy(encoded, 0, out, prefix.length, encoded.length);
        size = prefix.length + encoded.length;
        break;
      }
    }
    System.arraycopy(query, 0, out, size, query.length);
    size += query.length;
    return new AsciiString(Arrays.copyOf(out, size), false);
  }

  private byte[] room(int size) {
    if (buffer.length < size) {
      buffer = Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
    }
    return buffer;
  }

  private byte[] prefix(DocumentId id) {
    String namespace = id.namespace();
    String type = id.documentType();
    // Open addressing by the type's hash (cached in the String), probing on: types that share a slot
    // must not evict each other (a profile saw two interleaved types rebuild their prefixes every time).
    int slot = (type.hashCode() * 31 + namespace.hashCode()) & (SLOTS - 1);
    for (String cached = types[slot]; cached != null; cached = types[slot = (slot + 1) & (SLOTS - 1)]) {
      if ((cached == type || cached.equals(type)) && (namespaces[slot] == namespace || namespaces[slot].equals(namespace))) {
        return prefixes[slot];
      }
    }
    byte[] prefix = ("/document/v1/" + VespaPaths.encode(namespace) + "/" + VespaPaths.encode(type) + "/docid/")
        .getBytes(StandardCharsets.US_ASCII);
    if (used < SLOTS / 2) { // past that, more types than a feeder has: made per request, the table stays sparse
      used++;
      namespaces[slot] = namespace;
      types[slot] = type;
      prefixes[slot] = prefix;
    }
    return prefix;
  }

  private byte[] query(boolean create, long timeoutMillis) {
    if (timeoutMillis != queryTimeout) {
      queryTimeout = timeoutMillis;
      plainQuery = ("?timeout=" + timeoutMillis + "ms").getBytes(StandardCharsets.US_ASCII);
      createQuery = ("?create=true&timeout=" + timeoutMillis + "ms").getBytes(StandardCharsets.US_ASCII);
    }
    return create ? createQuery : plainQuery;
  }

  /** The characters {@link VespaPaths#encode} leaves as they are. */
  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '*';
  }
}
