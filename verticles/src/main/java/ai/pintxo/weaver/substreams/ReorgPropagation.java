package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockUndoSignal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code undoMode: "propagate"}: every block goes to Kafka as soon as it arrives, final or not, and
 * an undo signal becomes compensating records ({@link ReorgJournal}) that go to the data topic in the
 * same transaction as the undo's last valid cursor. Each data record carries its block and the height
 * taken as final ({@link ReorgHeaders}), which is what the journal is rebuilt from on every
 * (re)connect: the journal then holds exactly what is committed, whatever was lost in between.
 *
 * <p>The depth an undo may reach is bounded like the undo buffer's: writes at or below
 * {@code max(final block height, block - undoBufferSize)} are taken as final.
 *
 * <p>Threading: confined to the verticle's event loop; {@link #reload} reads Kafka on a worker.
 */
final class ReorgPropagation {

  private final SubstreamsOptions options;
  private final String topic;
  private final int depth;
  private ReorgJournal journal;

  ReorgPropagation(SubstreamsOptions options) {
    this.options = options;
    this.topic = options.topic();
    this.depth = options.getUndoBufferSize();
    this.journal = new ReorgJournal(topic);
  }

  /** @return completes when the journal is rebuilt from the committed data topic */
  Future<Void> reload(Vertx vertx) {
    return vertx.executeBlocking(() -> JournalLoader.load(options.getKafka(), topic), false).map(j -> {
      journal = j;
      return null;
    });
  }

  /**
   * @param block            a block just mapped
   * @param finalBlockHeight the server's final block height with it
   * @return the block, its data records marked with their block and the height taken as final
   */
  PendingBlock block(PendingBlock block, long finalBlockHeight) {
    long number = block.block().number();
    long pruned = Math.max(finalBlockHeight, number - depth);
    byte[] numberText = ReorgHeaders.text(number);
    byte[] prunedText = ReorgHeaders.text(pruned);
    for (ProducerRecord<byte[], byte[]> r : block.records()) {
      if (r.topic().equals(topic) && r.key() != null && r.value() != null) {
        r.headers().add(ReorgHeaders.BLOCK, numberText).add(ReorgHeaders.FINAL, prunedText);
        journal.write(number, r.key(), r.value());
      }
    }
    journal.prune(pruned);
    return block;
  }

  /** A block past the stop block: produces nothing, but moves finality on. */
  void confirm(long finalBlockHeight) {
    journal.prune(finalBlockHeight);
  }

  /**
   * @return the compensations of an undo as a block at the fork with the undo's last valid cursor
   * @throws UndoBuffer.UndoTooDeepException when the fork is below what was taken as final
   */
  PendingBlock undo(BlockUndoSignal undo) {
    long fork = undo.getLastValidBlock().getNumber();
    List<ProducerRecord<byte[], byte[]>> compensations = journal.undo(fork, undo.getLastValidBlock().getId());
    return new PendingBlock(new BlockInfo(fork, undo.getLastValidBlock().getId(), 0), undo.getLastValidCursor(), compensations);
  }

  /** @return keys the journal holds writes above the pruned height for */
  int recentKeys() {
    return journal.recentKeys();
  }
}
