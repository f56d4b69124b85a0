package ai.pintxo.weaver.substreams;

/**
 * Checks the block numbers of one gRPC call: each block must come after the previous one (or after
 * the last valid block of an undo signal, or after the cursor the call resumed from). A block number
 * that goes backwards without an undo signal is always an error: producing it would write a block
 * twice or out of order. A block number that skips is an error with {@code gapCheck: "strict"}
 * (every block of a contiguously numbered chain, Ethereum among them, arrives as a
 * {@code BlockScopedData}, empty or not, so a gap means lost blocks); {@code "backwardsOnly"}
 * accepts it, for chains whose numbers skip (Solana's skipped slots).
 *
 * <p>Not thread-safe: owned by the stream's context.
 */
final class BlockSequence {

  /** The {@code gapCheck} values. */
  static final String STRICT = "strict";
  static final String BACKWARDS_ONLY = "backwardsOnly";

  private final boolean strict;
  private long previous = -1;

  /** @param gapCheck {@link #STRICT} or {@link #BACKWARDS_ONLY} */
  BlockSequence(String gapCheck) {
    this.strict = STRICT.equals(gapCheck);
  }

  /** @param resumedAfter the block of the cursor a new call resumes after, or -1 when it starts at the configured block */
  void restart(long resumedAfter) {
    previous = resumedAfter;
  }

  /** @param lastValidBlock the undo signal's last valid block: the next block follows it */
  void undo(long lastValidBlock) {
    previous = lastValidBlock;
  }

  /**
   * @param number the block just received
   * @return null when it may follow the previous one, else the error naming both block numbers
   */
  String accept(long number) {
    long before = previous;
    if (before < 0) {
      previous = number;
      return null;
    }
    if (number <= before) {
      return "block " + number + " arrived after block " + before + " without an undo signal (the block number went "
          + (number == before ? "nowhere" : "backwards") + "); nothing of block " + number + " was produced";
    }
    if (strict && number != before + 1) {
      return "block " + number + " arrived after block " + before + " without an undo signal (" + (number - before - 1)
          + " block number(s) skipped); nothing of block " + number + " was produced; on a chain whose block numbers skip, set gapCheck to \""
          + BACKWARDS_ONLY + "\"";
    }
    previous = number;
    return null;
  }
}
