package ai.pintxo.weaver.substreams.strategies;

import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.substreams.BlockInfo;
import ai.pintxo.weaver.substreams.MessageFields;
import ai.pintxo.weaver.substreams.SubstreamsStrategy;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/** The original {@code SupplyStrategy}: a message with {@code repeated items {address, supply}} → one {@link SupplyMetric} per item. */
public final class SupplyStrategy implements SubstreamsStrategy<SupplyMetric> {

  @Override
  public String name() {
    return "SupplyStrategy";
  }

  @Override
  public Class<SupplyMetric> recordType() {
    return SupplyMetric.class;
  }

  @Override
  public List<SupplyMetric> map(BlockInfo block, Message output) {
    List<Message> items = MessageFields.messages(output, "items");
    List<SupplyMetric> out = new ArrayList<>(items.size());
    for (Message item : items) {
      String address = MessageFields.string(item, "address");
      if (address.isEmpty()) {
        throw new IllegalArgumentException("supply item without an address in block " + block.number());
      }
      out.add(new SupplyMetric(address, MessageFields.string(item, "supply")));
    }
    return out;
  }
}
