package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supplies;
import ai.pintxo.weaver.substreams.strategies.JsonStrategy;
import ai.pintxo.weaver.substreams.strategies.SeaportStrategy;
import ai.pintxo.weaver.substreams.strategies.SupplyStrategy;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputDecoderTest {

  static final String SEAPORT_URL = "type.googleapis.com/eth.seaport_metrics.v1.Metrics";
  static final String SUPPLY_URL = "type.googleapis.com/erc20.supply.v1.Supplies";

  @Test
  void aStrategyWithAGeneratedTypeGetsThatClassWithTheSameValues() throws Exception {
    ProtoDescriptors seaport = SubstreamsPackage.of(TestPackages.seaport(), "seaport").descriptors();
    Metrics metrics = Payloads.seaportMetrics(7, 0, 3);
    OutputDecoder decoder = new OutputDecoder(seaport, new SeaportStrategy().outputType());
    Message decoded = decoder.decode(SEAPORT_URL, metrics.toByteString());
    assertThat(decoded).isInstanceOf(Metrics.class).isEqualTo(metrics);
    assertThat(decoder.generatedFor(SEAPORT_URL)).isTrue();

    ProtoDescriptors supply = SubstreamsPackage.of(TestPackages.supply(), "supply").descriptors();
    Supplies supplies = Payloads.supplies(7, 0, 3);
    assertThat(new OutputDecoder(supply, new SupplyStrategy().outputType()).decode(SUPPLY_URL, supplies.toByteString())).isEqualTo(supplies);
  }

  @Test
  void theJsonStrategyAndOtherTypesGetDynamicMessages() throws Exception {
    ProtoDescriptors seaport = SubstreamsPackage.of(TestPackages.seaport(), "seaport").descriptors();
    Metrics metrics = Payloads.seaportMetrics(7, 0, 3);
    Message dynamic = new OutputDecoder(seaport, new JsonStrategy().outputType()).decode(SEAPORT_URL, metrics.toByteString());
    assertThat(dynamic).isInstanceOf(DynamicMessage.class);
    assertThat(dynamic.toByteString()).isEqualTo(metrics.toByteString());
    // the supply strategy's generated type is not this output's type
    assertThat(new OutputDecoder(seaport, new SupplyStrategy().outputType()).decode(SEAPORT_URL, metrics.toByteString()))
        .isInstanceOf(DynamicMessage.class);
    assertThatThrownBy(() -> new OutputDecoder(seaport, new SeaportStrategy().outputType()).decode("type.googleapis.com/x.Y", metrics.toByteString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not among the package's types");
  }

  @Test
  void aPackageTypeOfTheSameNameWithOtherFieldsIsDecodedWithThePackagesDescriptor() throws Exception {
    // eth.seaport_metrics.v1.Metrics whose Metric has its key and value numbered the other way round
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("seaport_other.proto").setPackage("eth.seaport_metrics.v1")
        .setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("Metrics").addField(field("metrics", 1, FieldDescriptorProto.Type.TYPE_MESSAGE,
            ".eth.seaport_metrics.v1.Metric", true)))
        .addMessageType(DescriptorProto.newBuilder().setName("Metric")
            .addField(field("key", 2, FieldDescriptorProto.Type.TYPE_STRING, null, false))
            .addField(field("value", 1, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
        .build();
    ProtoDescriptors other = ProtoDescriptors.build(List.of(file), "other");
    assertThat(OutputDecoder.sameShape(other.message("eth.seaport_metrics.v1.Metrics").orElseThrow(), Metrics.getDescriptor())).isFalse();
    OutputDecoder decoder = new OutputDecoder(other, new SeaportStrategy().outputType());
    Message decoded = decoder.decode(SEAPORT_URL, Payloads.seaportMetrics(7, 0, 1).toByteString());
    assertThat(decoded).isInstanceOf(DynamicMessage.class);
    assertThat(decoder.generatedFor(SEAPORT_URL)).isFalse();
    // read by the package's field numbers: the generated key (1) is this type's value
    assertThat(new SeaportStrategy().map(StrategiesTest.BLOCK, decoded).get(0).value()).isEqualTo(Payloads.seaportKey(7, 0));
  }

  static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type, String typeName, boolean repeated) {
    return RealPackagesTest.field(name, number, type, typeName, repeated);
  }
}
