package ai.pintxo.weaver.substreams.strategies;

import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.substreams.BlockInfo;
import ai.pintxo.weaver.substreams.MessageFields;
import ai.pintxo.weaver.substreams.SubstreamsStrategy;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supplies;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supply;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
  public Optional<Message> outputType() {
    return Optional.of(Supplies.getDefaultInstance());
  }

  @Override
  public List<SupplyMetric> map(BlockInfo block, Message output) {
    if (output instanceof Supplies typed) {
      List<SupplyMetric> out = new ArrayList<>(typed.getItemsCount());
      for (Supply item : typed.getItemsList()) {
        out.add(supply(block, item.getAddress(), item.getSupply()));
      }
      return out;
    }
    // A package whose output type differs from the generated one (another name or other fields): by field name.
    List<Message> items = MessageFields.messages(output, "items");
    List<SupplyMetric> out = new ArrayList<>(items.size());
    for (Message item : items) {
      out.add(supply(block, MessageFields.string(item, "address"), MessageFields.string(item, "supply")));
    }
    return out;
  }

  private static SupplyMetric supply(BlockInfo block, String address, String supply) {
    if (address.isEmpty()) {
      throw new IllegalArgumentException("supply item without an address in block " + block.number());
    }
    return new SupplyMetric(address, supply);
  }
}
