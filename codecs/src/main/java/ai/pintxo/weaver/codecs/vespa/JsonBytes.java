package ai.pintxo.weaver.codecs.vespa;

import java.util.Arrays;

/**
 * A small UTF-8 JSON writer into a growable byte array, for the feeder's hot path: a document body
 * is written with no generator, no buffer recycling and no intermediate strings. Escapes as JSON
 * requires; numbers as Java writes them (which JSON accepts). Not thread-safe; reusable with
 * {@link #reset()}.
 */
public final class JsonBytes {

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private byte[] bytes;
  private int size;

  public JsonBytes(int capacity) {
    bytes = new byte[capacity];
  }

  /** Empties the buffer, keeping its capacity. */
  public JsonBytes reset() {
    size = 0;
    return this;
  }

  /** @return the bytes written */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** @return the internal array; only the first {@link #size()} bytes are written */
  public byte[] array() {
    return bytes;
  }

  public int size() {
    return size;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  /** Appends ASCII text verbatim (structural JSON, numbers). */
  public JsonBytes raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  public JsonBytes raw(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /** Appends a JSON string: quoted, escaped, UTF-8. */
  public JsonBytes string(String s) {
    int n = s.length();
    ensure(n * 3 + 2);
    bytes[size++] = '"';
    int i = plainPrefix(s, bytes, size, false);
    size += i;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          bytes[size++] = (byte) c;
        } else {
          escape(c);
        }
      } else if (c < 0x800) {
        bytes[size++] = (byte) (0xC0 | (c >> 6));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        ensure(4);
        bytes[size++] = (byte) (0xF0 | (cp >> 18));
        bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        bytes[size++] = (byte) '?'; // a lone surrogate is not text: as Java's UTF-8 encoder does
      } else {
        bytes[size++] = (byte) (0xE0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    bytes[size++] = '"';
    return this;
  }

  private void escape(char c) {
    ensure(6);
    size = escape(bytes, size, c, HEX);
  }

  /**
   * Writes the JSON escape of an ASCII control char, a quote or a backslash (short forms where JSON has them),
   * or of any other char as {@code \\uXXXX} in the given hex digits.
   *
   * @return the position after it
   */
  private static int escape(byte[] b, int at, char c, byte[] hex) {
    b[at++] = '\\';
    switch (c) {
      case '"' -> b[at++] = '"';
      case '\\' -> b[at++] = '\\';
      case '\n' -> b[at++] = 'n';
      case '\r' -> b[at++] = 'r';
      case '\t' -> b[at++] = 't';
      case '\b' -> b[at++] = 'b';
      case '\f' -> b[at++] = 'f';
      default -> {
        b[at++] = 'u';
        b[at++] = hex[c >> 12];
        b[at++] = hex[(c >> 8) & 0xF];
        b[at++] = hex[(c >> 4) & 0xF];
        b[at++] = hex[c & 0xF];
      }
    }
    return at;
  }

  /** Writes the decimal digits straight into the array, as {@code Long.toString} spells them, with no String. */
  public JsonBytes number(long value) {
    if (value == Long.MIN_VALUE) {
      return raw("-9223372036854775808"); // its magnitude does not fit a long
    }
    ensure(20);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    int end = size + digits(value);
    int at = end;
    while (value >= 10) {
      long q = value / 10;
      bytes[--at] = (byte) ('0' + (int) (value - q * 10));
      value = q;
    }
    bytes[--at] = (byte) ('0' + (int) value);
    size = end;
    return this;
  }

  private static int digits(long value) {
    long limit = 10;
    for (int n = 1; n < 19; n++) {
      if (value < limit) {
        return n;
      }
      limit *= 10;
    }
    return 19;
  }

  /** Writes the shortest decimal that reads back as the same double (Schubfach, as in JDK 19+'s Double.toString). */
  public JsonBytes number(double value) {
    return raw(com.fasterxml.jackson.core.io.NumberOutput.toString(value, true));
  }

  public JsonBytes bool(boolean value) {
    return raw(value ? "true" : "false");
  }

  /** Appends bytes verbatim (a pre-encoded field name, for one). */
  public JsonBytes raw(byte[] encoded) {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, bytes, size, encoded.length);
    size += encoded.length;
    return this;
  }

  /**
   * Appends a JSON string escaped as Jackson's UTF-8 generator does with the default features (what
   * {@code Json.mapper()} writes): control characters other than {@code \b \t \n \f \r} and every
   * surrogate, paired or not, as a six-character escape with upper-case hex digits; the rest as UTF-8. {@link #string(String)}
   * differs there (lower-case hex, pairs as 4-byte UTF-8) and stays as the feeder needs it.
   */
  /**
   * Copies the longest prefix of {@code s} that needs no escaping and is plain ASCII into {@code b} at {@code at}.
   * Most text is plain ASCII: the JDK's encoder copies it in one go (a Latin-1 string's array as is). Equal
   * lengths mean one byte per char, so byte i is char i; '?' may stand for a lone surrogate, which Jackson
   * escapes (hence the check when {@code loneSurrogatesEscaped}) and {@link #string} writes as '?' anyway.
   *
   * @return the number of chars copied
   */
  private static int plainPrefix(String s, byte[] b, int at, boolean loneSurrogatesEscaped) {
    int n = s.length();
    if (n == 0) {
      return 0;
    }
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (utf8.length != n) {
      return 0;
    }
    int i = 0;
    while (i < n) {
      byte c = utf8[i];
      if (c < 0x20 || c == '"' || c == '\\' || loneSurrogatesEscaped && c == '?' && s.charAt(i) != '?') {
        break;
      }
      i++;
    }
    System.arraycopy(utf8, 0, b, at, i);
    return i;
  }

  public JsonBytes jacksonString(String s) {
    int n = s.length();
    ensure(n * 6 + 2);
    byte[] b = bytes;
    int at = size;
    b[at++] = '"';
    int i = plainPrefix(s, b, at, true);
    at += i;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[at++] = (byte) c;
          continue;
        }
        at = escape(b, at, c, HEX_UPPER);
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        at = escape(b, at, c, HEX_UPPER);
      } else {
        b[at++] = (byte) (0xE0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[at++] = '"';
    size = at;
    return this;
  }
}
