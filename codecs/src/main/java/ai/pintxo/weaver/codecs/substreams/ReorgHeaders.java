package ai.pintxo.weaver.codecs.substreams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka headers a substream with {@code undoMode: "propagate"} puts on its records, shared by
 * the source (which writes them and reads them back to rebuild its reorg journal after a restart)
 * and the engine connector (which turns a compensating remove into a Vespa {@code DELETE}).
 *
 * <ul>
 *   <li>{@link #BLOCK}: on a data record, the block it comes from; on a compensation, the fork block
 *       (the undo signal's last valid block) the document goes back to.</li>
 *   <li>{@link #FINAL}: on a data record, the final block height the server announced with its block.</li>
 *   <li>{@link #UNDO}: only on compensations: {@link #RESTORE} (the value is the document's last value
 *       at or below the fork, written again) or {@link #REMOVE} (a tombstone: the document had no value
 *       at or below the fork and is deleted).</li>
 * </ul>
 *
 * <p>Values are decimal or plain text in UTF-8.
 */
public final class ReorgHeaders {

  public static final String BLOCK = "weaver.block";
  public static final String FINAL = "weaver.final";
  public static final String UNDO = "weaver.undo";
  public static final String RESTORE = "restore";
  public static final String REMOVE = "remove";

  private ReorgHeaders() {
  }

  /** @return the bytes of a header value */
  public static byte[] text(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  /** @return the last value of a header, as text */
  public static Optional<String> last(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** @return a header's value as a number, or {@code otherwise} when absent or not a number */
  public static long number(Headers headers, String name, long otherwise) {
    try {
      return last(headers, name).map(Long::parseLong).orElse(otherwise);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** @return whether a record is a compensating remove (a tombstone the connector turns into a {@code DELETE}) */
  public static boolean isRemove(Headers headers) {
    return last(headers, UNDO).filter(REMOVE::equals).isPresent();
  }
}
