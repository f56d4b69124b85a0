package ai.pintxo.weaver.testkit.substreams;

/**
 * A scripted chain reorganisation: once the stream has sent block {@code forkBlock + depth} of the
 * original branch, the emulator sends an undo back to {@code forkBlock} and continues with other
 * blocks (branch 1, other hashes and outputs) from {@code forkBlock + 1}. Fires once.
 *
 * @param forkBlock the last block both branches share
 * @param depth     how many blocks of the original branch are abandoned
 */
public record Reorg(long forkBlock, int depth) {

  public Reorg {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1, was " + depth);
    }
  }

  /** @return whether the block is one that the reorg replaces */
  public boolean covers(long block) {
    return block > forkBlock && block <= forkBlock + depth;
  }
}
