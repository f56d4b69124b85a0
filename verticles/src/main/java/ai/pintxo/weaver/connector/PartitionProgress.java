package ai.pintxo.weaver.connector;

import java.util.Arrays;

/**
 * The offsets of one partition that were handed to the connector and whether each is done (fed or
 * dead-lettered). The committable offset is one past the last offset before which everything is
 * done: a slow record holds back the commit of the records after it, never their feeding.
 *
 * <p>Offsets arrive in increasing order, possibly with gaps (transaction markers, compaction).
 * Kept in a ring of primitives: no boxing on the hot path. Not thread-safe: owned by the
 * connector's event loop.
 */
final class PartitionProgress {

  private long[] offsets = new long[64];
  private boolean[] done = new boolean[64];
  private int head;
  private int size;
  private long committable = -1;
  private long bufferedBytes;
  private boolean revoked;

  /** @param offset the next offset handed over, larger than all before it */
  void started(long offset) {
    if (size > 0 && offset <= offsets[index(size - 1)]) {
      throw new IllegalArgumentException("offset " + offset + " is not after " + offsets[index(size - 1)]);
    }
    if (size == offsets.length) {
      grow();
    }
    int i = index(size++);
    offsets[i] = offset;
    done[i] = false;
  }

  /** Marks an offset done and advances the committable offset past every done offset at the front. */
  void completed(long offset) {
    int position = find(offset);
    if (position < 0) {
      return; // not tracked (already advanced past, or from before a rebalance)
    }
    done[index(position)] = true;
    while (size > 0 && done[head]) {
      committable = offsets[head] + 1;
      head = (head + 1) & (offsets.length - 1);
      size--;
    }
  }

  /** @return the offset to commit (the next one to read after a restart), or -1 when nothing is done yet */
  long committable() {
    return committable;
  }

  /** @return offsets handed over and not done */
  int outstanding() {
    int n = 0;
    for (int p = 0; p < size; p++) {
      if (!done[index(p)]) {
        n++;
      }
    }
    return n;
  }

  /** @return whether every offset handed over is done */
  boolean idle() {
    return size == 0;
  }

  /** @return bytes of this partition's records between Kafka and Vespa */
  long bufferedBytes() {
    return bufferedBytes;
  }

  /** Adds (or, negative, removes) buffered bytes. */
  void buffered(long bytes) {
    bufferedBytes += bytes;
  }

  /** The partition went to another consumer: completions no longer count. */
  void revoke() {
    revoked = true;
  }

  boolean isRevoked() {
    return revoked;
  }

  private int find(long offset) {
    if (size == 0) {
      return -1;
    }
    long guess = offset - offsets[head]; // offsets without gaps (the usual case): the position is the distance
    if (guess >= 0 && guess < size && offsets[index((int) guess)] == offset) {
      return (int) guess;
    }
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long value = offsets[index(mid)];
      if (value < offset) {
        lo = mid + 1;
      } else if (value > offset) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The ring's capacity is a power of two: a mask, not a division, per lookup. */
  private int index(int position) {
    return (head + position) & (offsets.length - 1);
  }

  private void grow() {
    long[] o = new long[offsets.length * 2];
    boolean[] d = new boolean[offsets.length * 2];
    for (int p = 0; p < size; p++) {
      o[p] = offsets[index(p)];
      d[p] = done[index(p)];
    }
    offsets = o;
    done = d;
    head = 0;
  }

  @Override
  public String toString() {
    return "PartitionProgress[committable=" + committable + ", outstanding=" + size + ", head="
        + (size == 0 ? "-" : Arrays.toString(new long[] {offsets[head]})) + "]";
  }
}
