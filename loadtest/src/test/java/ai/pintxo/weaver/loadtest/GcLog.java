package ai.pintxo.weaver.loadtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code -Xlog:gc} file as it grows: each pause line ({@code GC(7) Pause Young (Normal) (G1 Evacuation
 * Pause) 120M->41M(256M) 3.456ms}) gives the heap after that collection and the pause. JDK's own record of
 * both, from another JVM, where MXBeans would need JMX. Used from one sampling thread.
 */
final class GcLog {

  private static final Pattern PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

  private final Path file;
  private long offset;
  private String partial = "";
  private long heapAfterMb = -1;

  GcLog(Path file) {
    this.file = file;
  }

  /** Pauses read by one {@link #read()}: how many, their total and longest, and the heap after the last one. */
  record Pauses(int count, double totalMillis, double maxMillis, long heapAfterMb) {
  }

  /** @return the pauses logged since the last call; the heap after GC stays the last one seen when none was */
  Pauses read() {
    int count = 0;
    double total = 0;
    double max = 0;
    if (Files.exists(file)) {
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long length = in.length();
        if (length > offset) {
          byte[] bytes = new byte[(int) (length - offset)];
          in.seek(offset);
          in.readFully(bytes);
          offset = length;
          String text = partial + new String(bytes, StandardCharsets.UTF_8);
          int end = text.lastIndexOf('\n');
          partial = text.substring(end + 1); // a line still being written
          for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
              double millis = Double.parseDouble(m.group(4));
              count++;
              total += millis;
              max = Math.max(max, millis);
              heapAfterMb = Long.parseLong(m.group(2));
            }
          }
        }
      } catch (IOException e) {
        System.err.println("could not read " + file + ": " + e);
      }
    }
    return new Pauses(count, total, max, heapAfterMb);
  }
}
