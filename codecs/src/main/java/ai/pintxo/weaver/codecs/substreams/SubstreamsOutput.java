package ai.pintxo.weaver.codecs.substreams;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;

/**
 * One block's output of a package without a dedicated strategy: the decoded message as canonical
 * protobuf JSON (lowerCamelCase names, 64-bit integers as strings, as the JS client printed it),
 * with the block it belongs to.
 *
 * @param id          {@code <module>:<block number>}; required
 * @param module      the output module
 * @param blockNumber the block number
 * @param blockId     the block hash
 * @param timestamp   the block time, Unix seconds
 * @param type        the message type's full name, e.g. {@code contract.v1.Events}
 * @param json        the message as protobuf JSON
 */
public record SubstreamsOutput(String id, String module, long blockNumber, String blockId, long timestamp, String type, String json)
    implements Keyed {

  public SubstreamsOutput {
    Fields.requireText(id, "id");
    Fields.requireText(type, "type");
    Fields.require(json, "json");
  }

  @Override
  public String key() {
    return id;
  }
}
