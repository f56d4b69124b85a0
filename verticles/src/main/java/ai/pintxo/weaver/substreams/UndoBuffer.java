package ai.pintxo.weaver.substreams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Holds the newest blocks until they are final, so that an append-only Kafka topic only receives
 * blocks no reorg can take back (the Go sink's undo buffer). A block is released when it is at or
 * below the final block height, or when more than {@code capacity} blocks wait (the oldest is then
 * treated as final). An undo inside the buffer drops the abandoned blocks; an undo below a block
 * already released cannot be honoured and is an {@link UndoTooDeepException}. Capacity 0 releases
 * every block at once (final-blocks-only streams never undo).
 *
 * <p>Not thread-safe: owned by the stream's context.
 */
final class UndoBuffer {

  private final int capacity;
  private final Deque<PendingBlock> blocks = new ArrayDeque<>();
  private long lastReleased = -1;
  private String lastReleasedId = "";

  public UndoBuffer(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be at least 0, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * @param block            the next block, above every block held
   * @param finalBlockHeight the highest final block the server knows
   * @return the blocks released by this one, oldest first
   */
  public List<PendingBlock> push(PendingBlock block, long finalBlockHeight) {
    PendingBlock newest = blocks.peekLast();
    if (newest != null && block.block().number() <= newest.block().number()) {
      throw new IllegalStateException("block " + block.block().number() + " after block " + newest.block().number()
          + " without an undo signal");
    }
    blocks.addLast(block);
    List<PendingBlock> out = new ArrayList<>();
    while (!blocks.isEmpty() && (blocks.peekFirst().block().number() <= finalBlockHeight || blocks.size() > capacity)) {
      out.add(release());
    }
    return out;
  }

  /**
   * Drops every block above the last valid one.
   *
   * @param lastValidBlock the fork point: the highest block still on the canonical chain
   * @param lastValidId    its hash, for the error message
   * @return the number of blocks dropped
   * @throws UndoTooDeepException when a block above it was already released
   */
  public int undo(long lastValidBlock, String lastValidId) {
    if (lastValidBlock < lastReleased) {
      throw new UndoTooDeepException("cannot undo down to block " + lastValidBlock + " (" + lastValidId + ") because block "
          + lastReleased + " (" + lastReleasedId + ") was already released to Kafka; the undo buffer of " + capacity
          + " blocks is shallower than this reorganisation");
    }
    int dropped = 0;
    while (!blocks.isEmpty() && blocks.peekLast().block().number() > lastValidBlock) {
      blocks.removeLast();
      dropped++;
    }
    return dropped;
  }

  /** @return the held blocks at or below the final block height, oldest first */
  public List<PendingBlock> releaseFinal(long finalBlockHeight) {
    List<PendingBlock> out = new ArrayList<>();
    while (!blocks.isEmpty() && blocks.peekFirst().block().number() <= finalBlockHeight) {
      out.add(release());
    }
    return out;
  }

  /** @return every held block below {@code stopBlock} (all when 0), released because the stream ended there */
  public List<PendingBlock> releaseAll(long stopBlock) {
    List<PendingBlock> out = new ArrayList<>();
    while (!blocks.isEmpty()) {
      if (stopBlock > 0 && blocks.peekFirst().block().number() >= stopBlock) {
        blocks.clear();
        break;
      }
      out.add(release());
    }
    return out;
  }

  /**
   * Forgets the held blocks: the stream restarts from the last committed cursor, which re-sends them.
   *
   * @param committedBlock the block of the committed cursor (the last one in Kafka), or -1
   * @param committedId    its hash
   */
  public void reset(long committedBlock, String committedId) {
    blocks.clear();
    lastReleased = committedBlock;
    lastReleasedId = committedId == null ? "" : committedId;
  }

  /** @return the blocks held */
  public int size() {
    return blocks.size();
  }

  /** @return the number of the last released block, or -1 */
  public long lastReleased() {
    return lastReleased;
  }

  private PendingBlock release() {
    PendingBlock b = blocks.removeFirst();
    lastReleased = b.block().number();
    lastReleasedId = b.block().id();
    return b;
  }

  /** An undo the buffer cannot honour: data of the abandoned branch is already in Kafka. */
  public static final class UndoTooDeepException extends RuntimeException {
    public UndoTooDeepException(String message) {
      super(message);
    }
  }
}
