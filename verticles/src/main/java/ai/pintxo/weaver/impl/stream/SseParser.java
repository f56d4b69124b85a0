package ai.pintxo.weaver.impl.stream;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental parser of the {@code text/event-stream} wire format (WHATWG HTML, "Server-sent
 * events"): lines end with LF, CRLF or CR (a CR at the end of one chunk and an LF at the start of
 * the next are one line end); a blank line dispatches the event; {@code data:} lines are joined
 * with LF; one space after the colon is dropped; lines starting with {@code :} are comments; an
 * event without data is not dispatched; a UTF-8 BOM at the start is skipped. Bytes may be split
 * anywhere, even inside a multi-byte character: lines are decoded only once complete. An event not
 * yet ended by a blank line is held until more bytes come, and lost if the stream ends.
 *
 * <p>Not thread-safe: one parser per connection, fed from its context.
 */
public final class SseParser {

  private final Consumer<SseEvent> events;
  private final Runnable comments;
  private byte[] line = new byte[1024];
  private int lineLength;
  private boolean lastWasCr;
  private boolean start = true;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType = "";
  private String lastEventId = "";
  private long retry = -1;

  /**
   * @param events   receives each dispatched event
   * @param comments told about each comment line (a keep-alive)
   */
  public SseParser(Consumer<SseEvent> events, Runnable comments) {
    this.events = events;
    this.comments = comments;
  }

  /** Parses the next bytes of the stream. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Parses the next bytes of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    if (start && length > 0) {
      // Skip a UTF-8 BOM, possibly split over chunks: only count it once all 3 bytes are there.
      i = skipBom(bytes, i, end);
      if (i < 0) {
        return;
      }
    }
    for (; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF split over two chunks: already ended the line
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
      } else {
        lastWasCr = false;
        if (lineLength == line.length) {
          line = java.util.Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
      }
    }
  }

  private final byte[] bom = new byte[3];
  private int bomSeen;

  private int skipBom(byte[] bytes, int i, int end) {
    while (bomSeen < 3 && i < end) {
      bom[bomSeen++] = bytes[i++];
      byte expected = bomSeen == 1 ? (byte) 0xEF : bomSeen == 2 ? (byte) 0xBB : (byte) 0xBF;
      if (bom[bomSeen - 1] != expected) {
        // Not a BOM: the bytes held back are ordinary content.
        start = false;
        byte[] held = java.util.Arrays.copyOf(bom, bomSeen);
        bomSeen = 3;
        feed(held, 0, held.length);
        return i;
      }
    }
    if (bomSeen < 3) {
      return -1; // wait for the rest of a possible BOM
    }
    start = false;
    return i;
  }

  private void endLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      comments.run();
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> eventType = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
          try {
            retry = Long.parseLong(value);
          } catch (NumberFormatException tooLong) {
            // ignored, as the spec says for values that are not an integer
          }
        }
      }
      default -> {
        // unknown fields are ignored
      }
    }
  }

  private void dispatch() {
    if (hasData) {
      events.accept(new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId, retry));
    }
    data.setLength(0);
    hasData = false;
    eventType = "";
  }
}
