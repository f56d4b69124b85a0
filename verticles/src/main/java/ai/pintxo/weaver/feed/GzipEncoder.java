package ai.pintxo.weaver.feed;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzips request bodies with one reused {@link Deflater} at its fastest level: creating a deflater
 * per request (as {@code GZIPOutputStream} does) costs more than compressing a small document.
 * Not thread-safe: one per transport, used from its context.
 */
final class GzipEncoder {

  private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
  private final CRC32 crc = new CRC32();
  private byte[] out = new byte[4096];

  /** @return the gzip member of {@code length} bytes of {@code data} */
  byte[] encode(byte[] data, int length) {
    deflater.reset();
    crc.reset();
    crc.update(data, 0, length);
    deflater.setInput(data, 0, length);
    deflater.finish();
    int size = HEADER.length;
    if (out.length < length + 64) {
      out = new byte[length + 64];
    }
    System.arraycopy(HEADER, 0, out, 0, HEADER.length);
    while (!deflater.finished()) {
      if (size == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      size += deflater.deflate(out, size, out.length - size);
    }
    byte[] result = Arrays.copyOf(out, size + 8);
    int c = (int) crc.getValue();
    for (int i = 0; i < 4; i++) {
      result[size + i] = (byte) (c >>> (8 * i));
      result[size + 4 + i] = (byte) (length >>> (8 * i));
    }
    return result;
  }

  void close() {
    deflater.end();
  }
}
