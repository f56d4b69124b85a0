package ai.pintxo.weaver.codecs.substreams;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;

/**
 * Where a substream resumes: the cursor after the last block whose records are in Kafka, written in
 * the same Kafka transaction as those records, to a compacted topic keyed by substream name.
 *
 * @param substream    the configured name; required
 * @param cursor       the server's opaque cursor; required, empty for a position an operator set by block number
 *                     ({@code weaver substreams cursor set --block}): the stream then restarts at {@code blockNumber + 1}
 * @param blockNumber  the number of the block the cursor follows
 * @param blockId      that block's hash
 * @param outputModule the output module
 * @param moduleHash   the output module's hash when the cursor was written
 * @param committedAt  when it was written, epoch milliseconds
 */
public record SubstreamsCursor(String substream, String cursor, long blockNumber, String blockId, String outputModule,
                               String moduleHash, long committedAt) implements Keyed {

  /** The compacted topic of every substream's cursor. */
  public static final Topic<SubstreamsCursor> TOPIC = Topic.json("weaver-substreams-cursors", SubstreamsCursor.class);

  public SubstreamsCursor {
    Fields.requireText(substream, "substream");
    java.util.Objects.requireNonNull(cursor, "cursor");
  }

  /** @return true when the position is a block number set by an operator, not a server cursor */
  public boolean byBlockNumber() {
    return cursor.isEmpty();
  }

  @Override
  public String key() {
    return substream;
  }
}
