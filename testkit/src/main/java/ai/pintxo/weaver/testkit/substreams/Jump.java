package ai.pintxo.weaver.testkit.substreams;

/**
 * A scripted numbering fault: instead of block {@code atBlock}, the emulator sends block {@code to}
 * and goes on from there, without an undo signal. Forward it skips block numbers (a provider losing
 * blocks, or a chain with empty slots); backward it repeats them. Fires once.
 *
 * @param atBlock the block not sent
 * @param to      the block sent in its place
 */
public record Jump(long atBlock, long to) {
}
