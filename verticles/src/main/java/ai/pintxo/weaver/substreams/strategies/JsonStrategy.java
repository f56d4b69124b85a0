package ai.pintxo.weaver.substreams.strategies;

import ai.pintxo.weaver.codecs.substreams.SubstreamsOutput;
import ai.pintxo.weaver.substreams.BlockInfo;
import ai.pintxo.weaver.substreams.StrategyContext;
import ai.pintxo.weaver.substreams.SubstreamsStrategy;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.List;

/**
 * For packages without a dedicated strategy: one {@link SubstreamsOutput} per block with the output
 * as protobuf JSON, printed with the package's types (so nested {@code Any} values print too).
 */
public final class JsonStrategy implements SubstreamsStrategy<SubstreamsOutput> {

  private String module = "";
  private JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  @Override
  public String name() {
    return "JsonStrategy";
  }

  @Override
  public Class<SubstreamsOutput> recordType() {
    return SubstreamsOutput.class;
  }

  @Override
  public void init(StrategyContext context) {
    module = context.outputModule();
    printer = JsonFormat.printer().omittingInsignificantWhitespace().usingTypeRegistry(context.descriptors().typeRegistry());
  }

  @Override
  public List<SubstreamsOutput> map(BlockInfo block, Message output) {
    try {
      return List.of(new SubstreamsOutput(module + ":" + block.number(), module, block.number(), block.id(), block.timestamp(),
          output.getDescriptorForType().getFullName(), printer.print(output)));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot print " + output.getDescriptorForType().getFullName() + " as JSON: " + e.getMessage(), e);
    }
  }
}
