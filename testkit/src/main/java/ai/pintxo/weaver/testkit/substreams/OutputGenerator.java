package ai.pintxo.weaver.testkit.substreams;

import com.google.protobuf.Any;

/**
 * What the emulator's output module produces for a block. Deterministic: the same block and branch
 * always give the same output, so tests can compute what must arrive.
 */
@FunctionalInterface
public interface OutputGenerator {

  /**
   * @param block  the block number
   * @param branch 0 for the original chain, 1 for the branch that replaced it after a reorg
   * @return the output; {@link Any#getDefaultInstance()} for a block without output
   */
  Any output(long block, int branch);
}
