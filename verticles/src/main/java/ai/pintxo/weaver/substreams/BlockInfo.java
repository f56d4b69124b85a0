package ai.pintxo.weaver.substreams;

/**
 * The block a module output belongs to.
 *
 * @param number    block number
 * @param id        block hash
 * @param timestamp block time, Unix seconds
 */
public record BlockInfo(long number, String id, long timestamp) {
}
