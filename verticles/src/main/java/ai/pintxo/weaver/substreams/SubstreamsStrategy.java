package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.Keyed;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Optional;

/**
 * Maps one block's decoded output to typed records. Named in config ({@code strategy}) and found with
 * {@code ServiceLoader} ({@code META-INF/services/ai.pintxo.weaver.substreams.SubstreamsStrategy}):
 * a new strategy adds a class and a services line, no switch. A new instance is made per substream.
 *
 * <p>Called on one event loop at a time; {@link #init} may block and runs on a worker.
 *
 * @param <T> the record type written to the substream's topic
 */
public interface SubstreamsStrategy<T extends Keyed> {

  /** @return the name config uses, e.g. {@code SeaportStrategy} */
  String name();

  /** @return the record type */
  Class<T> recordType();

  /**
   * The generated class of the output type this strategy is written for, if it has one. Outputs of
   * that type (same full name, same fields in the package) are then parsed into that class and
   * {@link #map} receives an instance of it; outputs of any other type still arrive as a
   * {@code DynamicMessage}, which {@link #map} must handle as well.
   *
   * @return the class's default instance, or empty to always decode with the package's descriptors
   */
  default Optional<Message> outputType() {
    return Optional.empty();
  }

  /**
   * Prepares the strategy for one substream (reads lookup files); may block.
   *
   * @param context the substream and its package
   * @throws ai.pintxo.weaver.config.ConfigException or {@link IllegalArgumentException} when it cannot work with it
   */
  default void init(StrategyContext context) {
  }

  /**
   * @param block  the block
   * @param output the decoded output of the output module
   * @return the records, in order; may be empty
   * @throws IllegalArgumentException when the message does not have the shape the strategy expects
   *     (the output is dead-lettered and the stream goes on)
   */
  List<T> map(BlockInfo block, Message output);
}
