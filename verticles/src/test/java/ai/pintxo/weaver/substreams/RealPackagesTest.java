package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.substreams.pb.v1.Module;
import ai.pintxo.weaver.substreams.pb.v1.Package;
import ai.pintxo.weaver.testutil.SharedFixtures;
import com.google.protobuf.Any;
import ai.pintxo.weaver.codecs.substreams.SubstreamsOutput;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockScopedData;
import ai.pintxo.weaver.substreams.pb.rpc.v2.MapModuleOutput;
import ai.pintxo.weaver.substreams.pb.v1.Clock;
import ai.pintxo.weaver.substreams.strategies.JsonStrategy;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The real packages of {@code ../shared/fixtures/substreams} (skipped when absent). */
class RealPackagesTest {

  static final String ERC20 = "substreams/erc20-contracts-rpc-v1.11.0.spkg";
  static final String BLOCK_META = "substreams/substreams-eth-block-meta-v0.2.0.spkg";

  static SubstreamsPackage load(String fixture) {
    return SubstreamsPackage.parse(SharedFixtures.bytes(fixture), fixture);
  }

  @ParameterizedTest
  @ValueSource(strings = {ERC20, BLOCK_META})
  void everyMapModuleHasADescriptorForItsOutputType(String fixture) {
    SubstreamsPackage pkg = load(fixture);
    List<Module> maps = pkg.modules().stream().filter(Module::hasKindMap).toList();
    assertThat(maps).as("map modules of " + fixture).isNotEmpty();
    for (Module m : maps) {
      Descriptor d = pkg.outputDescriptor(m.getName());
      assertThat(d.getFullName()).as("output type of " + m.getName()).isEqualTo(SubstreamsPackage.outputType(m));
      assertThat(pkg.requestModules(m.getName()).getModulesList()).extracting(Module::getName).contains(m.getName());
    }
    assertThat(pkg.moduleHash(maps.get(0).getName())).matches("[0-9a-f]{40}");
  }

  @ParameterizedTest
  @ValueSource(strings = {ERC20, BLOCK_META})
  void inspectPrintsPackageNetworkAndEveryModule(String fixture) {
    SubstreamsPackage pkg = load(fixture);
    String report = PackageReport.render(pkg);
    System.out.println("weaver substreams inspect " + fixture + "\n" + report);
    assertThat(report).startsWith("package: " + pkg.name() + " " + pkg.version() + "\n");
    assertThat(pkg.name()).isNotEmpty();
    assertThat(report).contains("network: ");
    for (Module m : pkg.modules()) {
      assertThat(report).contains("  " + m.getName() + "\n    kind: " + SubstreamsPackage.kind(m));
      assertThat(report).contains("    initial block: " + m.getInitialBlock());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ERC20, BLOCK_META})
  void protoFilesBuildInAnyOrder(String fixture) {
    Package pkg = load(fixture).raw();
    List<FileDescriptorProto> reversed = new ArrayList<>(pkg.getProtoFilesList());
    Collections.reverse(reversed);
    ProtoDescriptors descriptors = ProtoDescriptors.build(reversed, fixture + " (reversed)");
    assertThat(descriptors.messages().keySet()).containsAll(ProtoDescriptors.build(pkg.getProtoFilesList(), fixture).messages().keySet());
    List<String> order = ProtoDescriptors.dependencyOrder(reversed, fixture);
    for (FileDescriptorProto f : reversed) {
      for (String dep : f.getDependencyList()) {
        if (order.contains(dep)) {
          assertThat(order.indexOf(dep)).as(dep + " before " + f.getName()).isLessThan(order.indexOf(f.getName()));
        }
      }
    }
  }

  @Test
  void missingImportIsNamed() {
    Package pkg = load(ERC20).raw();
    FileDescriptorProto withImports = pkg.getProtoFilesList().stream().filter(f -> f.getDependencyCount() > 0
        && !f.getDependency(0).startsWith("google/protobuf/")).findFirst().orElseThrow();
    assertThatThrownBy(() -> ProtoDescriptors.build(List.of(withImports), "partial"))
        .isInstanceOf(PackageException.class).hasMessageContaining("imports '" + withImports.getDependency(0) + "'");
  }

  /**
   * The package of the {@code substreams run} sample is not among the fixtures, so its type is
   * declared here as that JSON shows it ({@code contract.v1.Events} of the Substreams template), in a
   * package whose proto files are listed dependents first.
   */
  static SubstreamsPackage samplePackage() {
    FileDescriptorProto contract = FileDescriptorProto.newBuilder().setName("contract/v1/contract.proto").setPackage("contract.v1")
        .setSyntax("proto3").addDependency("google/protobuf/timestamp.proto")
        .addMessageType(DescriptorProto.newBuilder().setName("Events")
            .addField(field("transfers", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".contract.v1.Transfer", true)))
        .addMessageType(DescriptorProto.newBuilder().setName("Transfer")
            .addField(field("evt_tx_hash", 1, FieldDescriptorProto.Type.TYPE_STRING, null, false))
            .addField(field("evt_index", 2, FieldDescriptorProto.Type.TYPE_UINT32, null, false))
            .addField(field("evt_block_time", 3, FieldDescriptorProto.Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", false))
            .addField(field("evt_block_number", 4, FieldDescriptorProto.Type.TYPE_UINT64, null, false))
            .addField(field("from", 5, FieldDescriptorProto.Type.TYPE_BYTES, null, false))
            .addField(field("to", 6, FieldDescriptorProto.Type.TYPE_BYTES, null, false))
            .addField(field("value", 7, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
        .build();
    Package pkg = TestPackages.of("substreams-template", "v0.1.0", "map_events",
        ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics.getDescriptor()).toBuilder()
        .clearProtoFiles().addProtoFiles(contract).addProtoFiles(com.google.protobuf.Timestamp.getDescriptor().getFile().toProto())
        .build();
    Package.Builder b = pkg.toBuilder();
    b.getModulesBuilder().getModulesBuilder(0).setKindMap(Module.KindMap.newBuilder().setOutputType("proto:contract.v1.Events"))
        .setOutput(Module.Output.newBuilder().setType("proto:contract.v1.Events"));
    return SubstreamsPackage.of(b.build(), "substreams-template (sample)");
  }

  static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type, String typeName, boolean repeated) {
    FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
    return typeName == null ? f : f.setTypeName(typeName);
  }

  @Test
  void runOutputSampleEncodesAndDecodesBack() throws Exception {
    JsonObject sample = new JsonObject(new String(SharedFixtures.bytes("substreams/run_output_map_events_usdt_block12292922.json"),
        StandardCharsets.UTF_8));
    String type = sample.getString("@type");
    SubstreamsPackage pkg = samplePackage();
    Descriptor descriptor = pkg.descriptors().message(type).orElseThrow();
    assertThat(pkg.outputDescriptor(sample.getString("@module")).getFullName()).isEqualTo(type);

    DynamicMessage.Builder builder = DynamicMessage.newBuilder(descriptor);
    JsonFormat.parser().usingTypeRegistry(pkg.descriptors().typeRegistry()).merge(sample.getJsonObject("@data").encode(), builder);
    Any any = Any.newBuilder().setTypeUrl("type.googleapis.com/" + type).setValue(builder.build().toByteString()).build();

    // The path a block takes: BlockScopedData → decode with the package's types → generic JSON strategy.
    Strategies.Bound<SubstreamsOutput> json = Strategies.bind(jsonStrategy(pkg), "sample-substreams-topic");
    BlockProcessor processor = new BlockProcessor("sample", "map_events", pkg.descriptors(), json, () -> { });
    PendingBlock block = processor.process(BlockScopedData.newBuilder()
        .setOutput(MapModuleOutput.newBuilder().setName("map_events").setMapOutput(any))
        .setClock(Clock.newBuilder().setNumber(sample.getLong("@block")).setId("block-id")).setCursor("c").build());
    assertThat(block.records()).hasSize(1);
    SubstreamsOutput out = SubstreamsOutput.class.cast(ai.pintxo.weaver.codecs.Json.mapper().readValue(block.records().get(0).value(),
        SubstreamsOutput.class));
    assertThat(out.blockNumber()).isEqualTo(12292922L);
    assertThat(out.type()).isEqualTo(type);
    assertThat(new JsonObject(out.json())).isEqualTo(sample.getJsonObject("@data"));
  }

  static SubstreamsStrategy<SubstreamsOutput> jsonStrategy(SubstreamsPackage pkg) {
    JsonStrategy s = new JsonStrategy();
    s.init(new StrategyContext("sample", "map_events", pkg.descriptors(), java.util.Optional.empty()));
    return s;
  }

  @Test
  void undecodableOutputBecomesOneDeadLetterAndTheBlockStillMoves() {
    SubstreamsPackage pkg = samplePackage();
    java.util.concurrent.atomic.AtomicInteger counted = new java.util.concurrent.atomic.AtomicInteger();
    BlockProcessor processor = new BlockProcessor("sample", "map_events", pkg.descriptors(),
        Strategies.bind(jsonStrategy(pkg), "sample-substreams-topic"), counted::incrementAndGet);
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/other.v1.Thing").setValue(com.google.protobuf.ByteString.copyFromUtf8("x"))
        .build();
    PendingBlock block = processor.process(BlockScopedData.newBuilder().setOutput(MapModuleOutput.newBuilder().setMapOutput(unknown))
        .setClock(Clock.newBuilder().setNumber(7).setId("b7")).setCursor("c7").build());
    assertThat(counted.get()).isEqualTo(1);
    assertThat(block.cursor()).isEqualTo("c7");
    assertThat(block.records()).hasSize(1);
    assertThat(block.records().get(0).topic()).isEqualTo("sample-substreams-topic.dlq");
    assertThat(ai.pintxo.weaver.codecs.DeadLetter.fromHeaders(block.records().get(0).headers()).orElseThrow().error())
        .contains("block 7").contains("other.v1.Thing").contains("not among the package's types");

    PendingBlock empty = processor.process(BlockScopedData.newBuilder().setOutput(MapModuleOutput.newBuilder().setName(""))
        .setClock(Clock.newBuilder().setNumber(8).setId("b8")).setCursor("c8").build());
    assertThat(empty.records()).as("an empty output is normal").isEmpty();
    assertThat(empty.cursor()).isEqualTo("c8");
    assertThat(counted.get()).isEqualTo(1);
  }
}
