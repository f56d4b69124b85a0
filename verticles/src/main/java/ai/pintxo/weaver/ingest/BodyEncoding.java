package ai.pintxo.weaver.ingest;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * An ingest body as sent with {@code Content-Encoding}: {@code identity} (or none) as is, {@code gzip}
 * decompressed here, bounded by {@code maxBodySize} after decompression (a small gzip body can expand to
 * gigabytes). Decoding here, not in the HTTP server's decompressor, keeps a body that is not what its
 * header says a 400 that names the stream, instead of an error of the HTTP layer with no context. Pure:
 * runs on a worker for compressed bodies.
 */
final class BodyEncoding {

  private BodyEncoding() {
  }

  /** @return whether the body must be decompressed (worth a worker) */
  static boolean compressed(String contentEncoding) {
    String coding = coding(contentEncoding);
    return coding.equals("gzip") || coding.equals("x-gzip");
  }

  /**
   * @return the body, decompressed when its encoding says so
   * @throws RefusedBody 415 for an encoding other than gzip or identity, 400 for a body that is not gzip,
   *     413 when it decompresses to more than {@code maxBodySize}
   */
  static Buffer decode(String stream, String contentEncoding, Buffer body, int maxBodySize) {
    String coding = coding(contentEncoding);
    switch (coding) {
      case "", "identity" -> {
        return body;
      }
      case "gzip", "x-gzip" -> {
        return gunzip(stream, body, maxBodySize);
      }
      default -> throw new RefusedBody(415, "stream '" + stream + "': Content-Encoding '" + abbreviate(contentEncoding.trim())
          + "' is not supported; send gzip or identity");
    }
  }

  private static Buffer gunzip(String stream, Buffer body, int maxBodySize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodySize, Math.max(256, body.length() * 4)));
    byte[] chunk = new byte[8192];
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body.getBytes()))) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > maxBodySize) {
          throw new RefusedBody(413, "stream '" + stream + "': the gzip body decompresses to more than maxBodySize " + maxBodySize + " bytes");
        }
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw new RefusedBody(400, "stream '" + stream + "': the body is not valid gzip, as its Content-Encoding: gzip says ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static String coding(String contentEncoding) {
    return contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** A body refused for its encoding: the status and the answer's message. */
  static final class RefusedBody extends RuntimeException {
    private final int status;

    RefusedBody(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }
}
