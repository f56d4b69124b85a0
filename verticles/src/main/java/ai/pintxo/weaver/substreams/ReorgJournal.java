package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a substream with {@code undoMode: "propagate"} has written, per document key, so that an
 * undo signal can become compensating records: every key written above the fork goes back to its
 * last value at or below the fork ({@link ReorgHeaders#RESTORE}, the value written again) or, when it
 * had none, is removed ({@link ReorgHeaders#REMOVE}, a tombstone).
 *
 * <p>Two parts: the writes of blocks above the pruned height, per key in block order (bounded by the
 * undo depth: {@link #prune} folds older ones away), and the last value at or below the pruned height
 * of every key ever written (one entry per distinct key: the value a restore needs when the first
 * write of a key above the fork is the only one in the window).
 *
 * <p>Not thread-safe: owned by the stream's context (or by the loader that rebuilds it).
 */
final class ReorgJournal {

  private record Write(long block, byte[] value) {
  }

  private record BlockKeys(long block, List<ByteBuffer> keys) {
  }

  private final String topic;
  private final Map<ByteBuffer, byte[]> finalValues = new HashMap<>();
  private final Map<ByteBuffer, ArrayDeque<Write>> recent = new HashMap<>();
  /** Blocks with writes in {@link #recent}, ascending; may name keys whose writes an undo already dropped. */
  private final ArrayDeque<BlockKeys> blocks = new ArrayDeque<>();
  private long prunedHeight = -1;

  /** @param topic the data topic the compensations go to */
  ReorgJournal(String topic) {
    this.topic = topic;
  }

  /** Records that {@code key} got {@code value} in {@code block} (blocks come in ascending order, or restart after an undo). */
  void write(long block, byte[] key, byte[] value) {
    ByteBuffer k = ByteBuffer.wrap(key);
    recent.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(new Write(block, value));
    BlockKeys last = blocks.peekLast();
    if (last == null || last.block() != block) {
      last = new BlockKeys(block, new ArrayList<>());
      blocks.addLast(last);
    }
    last.keys().add(k);
  }

  /** Records a value of a block no undo can reach (a record without a block header: written before propagation). */
  void writeFinal(byte[] key, byte[] value) {
    finalValues.put(ByteBuffer.wrap(key), value);
  }

  /** Folds the writes at or below {@code height} into the final values: no undo may go below it any more. */
  void prune(long height) {
    if (height <= prunedHeight) {
      return;
    }
    while (!blocks.isEmpty() && blocks.peekFirst().block() <= height) {
      for (ByteBuffer k : blocks.removeFirst().keys()) {
        ArrayDeque<Write> writes = recent.get(k);
        if (writes == null) {
          continue;
        }
        while (!writes.isEmpty() && writes.peekFirst().block() <= height) {
          finalValues.put(k, writes.removeFirst().value());
        }
        if (writes.isEmpty()) {
          recent.remove(k);
        }
      }
    }
    prunedHeight = height;
  }

  /**
   * Rolls every key written above the fork back to its value at the fork.
   *
   * @param fork the undo signal's last valid block
   * @return the compensating records, for the data topic, in the transaction that stores the undo's cursor
   * @throws UndoBuffer.UndoTooDeepException when the fork is below the pruned height
   */
  List<ProducerRecord<byte[], byte[]>> undo(long fork, String forkId) {
    if (fork < prunedHeight) {
      throw new UndoBuffer.UndoTooDeepException("cannot undo down to block " + fork + " (" + forkId + ") because the writes of block "
          + prunedHeight + " and below were taken as final (undo depth and final block height); this reorganisation is deeper");
    }
    Set<ByteBuffer> touched = new LinkedHashSet<>();
    while (!blocks.isEmpty() && blocks.peekLast().block() > fork) {
      touched.addAll(blocks.removeLast().keys());
    }
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(touched.size());
    for (ByteBuffer k : touched) {
      if (dropAbove(fork, k)) {
        out.add(compensation(fork, k));
      }
    }
    return out;
  }

  /** Replays one key's compensation read back from Kafka: its writes above the fork are gone. */
  void undoKey(long fork, byte[] key) {
    dropAbove(fork, ByteBuffer.wrap(key));
  }

  /** @return whether the key had writes above the fork (now dropped) */
  private boolean dropAbove(long fork, ByteBuffer k) {
    ArrayDeque<Write> writes = recent.get(k);
    boolean dropped = false;
    while (writes != null && !writes.isEmpty() && writes.peekLast().block() > fork) {
      writes.removeLast();
      dropped = true;
    }
    if (writes != null && writes.isEmpty()) {
      recent.remove(k);
    }
    return dropped;
  }

  private ProducerRecord<byte[], byte[]> compensation(long fork, ByteBuffer k) {
    ArrayDeque<Write> writes = recent.get(k);
    byte[] value = writes != null ? writes.peekLast().value() : finalValues.get(k);
    RecordHeaders headers = new RecordHeaders();
    headers.add(ReorgHeaders.UNDO, ReorgHeaders.text(value == null ? ReorgHeaders.REMOVE : ReorgHeaders.RESTORE));
    headers.add(ReorgHeaders.BLOCK, ReorgHeaders.text(fork));
    return new ProducerRecord<>(topic, null, bytes(k), value, headers);
  }

  /** Takes over another journal's keys (a journal rebuilt partition by partition: keys never share a partition). */
  void absorb(ReorgJournal other) {
    finalValues.putAll(other.finalValues);
    recent.putAll(other.recent);
    prunedHeight = Math.max(prunedHeight, other.prunedHeight); // an undo below any partition's pruned height would restore wrongly
    List<BlockKeys> merged = new ArrayList<>(blocks);
    merged.addAll(other.blocks);
    merged.sort((a, b) -> Long.compare(a.block(), b.block()));
    blocks.clear();
    for (BlockKeys b : merged) {
      BlockKeys last = blocks.peekLast();
      if (last != null && last.block() == b.block()) {
        last.keys().addAll(b.keys());
      } else {
        blocks.addLast(new BlockKeys(b.block(), new ArrayList<>(b.keys())));
      }
    }
  }

  /** @return keys with writes above the pruned height */
  int recentKeys() {
    return recent.size();
  }

  /** @return keys with a value at or below the pruned height */
  int finalKeys() {
    return finalValues.size();
  }

  private static byte[] bytes(ByteBuffer k) {
    byte[] out = new byte[k.remaining()];
    k.duplicate().get(out);
    return out;
  }
}
