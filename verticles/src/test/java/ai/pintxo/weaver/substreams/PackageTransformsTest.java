package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.substreams.pb.v1.Module;
import ai.pintxo.weaver.substreams.pb.v1.Modules;
import ai.pintxo.weaver.substreams.pb.v1.NetworkParams;
import ai.pintxo.weaver.substreams.pb.v1.Package;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Params, networks, module pruning and the module hash, on a package made here. */
class PackageTransformsTest {

  /** seaport's package plus a map module taking params, a second binary, and two networks. */
  static SubstreamsPackage pkg() {
    Package base = TestPackages.seaport();
    Module filtered = Module.newBuilder().setName("filtered").setKindMap(Module.KindMap.newBuilder()
            .setOutputType("proto:eth.seaport_metrics.v1.Metrics"))
        .setBinaryIndex(1).setBinaryEntrypoint("filtered")
        .addInputs(Module.Input.newBuilder().setParams(Module.Input.Params.newBuilder().setValue("min=1")))
        .addInputs(Module.Input.newBuilder().setMap(Module.Input.Map.newBuilder().setModuleName("metrics_out")))
        .setInitialBlock(5).build();
    Modules modules = base.getModules().toBuilder().addModules(filtered)
        .addBinaries(base.getModules().getBinaries(0).toBuilder().setContent(com.google.protobuf.ByteString.copyFromUtf8("other"))).build();
    return SubstreamsPackage.of(base.toBuilder().setModules(modules)
        .putNetworks("mainnet", NetworkParams.newBuilder().putInitialBlocks("filtered", 100).putParams("filtered", "min=5").build())
        .putNetworks("sepolia", NetworkParams.newBuilder().putInitialBlocks("filtered", 7).build()).build(), "test");
  }

  @Test
  void requestModulesAreTheOutputAndItsAncestorsWithBinariesReindexed() {
    Modules m = pkg().requestModules("filtered");
    assertThat(m.getModulesList()).extracting(Module::getName).containsExactly("metrics_out", "filtered");
    assertThat(m.getBinariesCount()).isEqualTo(2);
    assertThat(m.getModules(1).getBinaryIndex()).isEqualTo(1);
    assertThat(pkg().requestModules("metrics_out").getModulesList()).extracting(Module::getName).containsExactly("metrics_out");
    assertThat(pkg().requestModules("metrics_out").getBinariesCount()).isEqualTo(1);
  }

  @Test
  void paramsGoToTheFirstInputAndChangeTheHash() {
    SubstreamsPackage p = pkg();
    SubstreamsPackage withParams = p.withParams(Map.of("filtered", "min=10"));
    assertThat(withParams.module("filtered").orElseThrow().getInputs(0).getParams().getValue()).isEqualTo("min=10");
    assertThat(withParams.moduleHash("filtered")).isNotEqualTo(p.moduleHash("filtered"));
    assertThat(withParams.moduleHash("metrics_out")).isEqualTo(p.moduleHash("metrics_out"));
    assertThat(p.moduleHash("filtered")).isEqualTo(pkg().moduleHash("filtered"));
    assertThatThrownBy(() -> p.withParams(Map.of("metrics_out", "x"))).hasMessageContaining("module 'metrics_out' takes no params");
    assertThatThrownBy(() -> p.withParams(Map.of("nope", "x"))).hasMessageContaining("'nope', which is not in the package");
  }

  @Test
  void networksSetInitialBlocksAndParams() {
    SubstreamsPackage main = pkg().withNetwork("");
    assertThat(main.module("filtered").orElseThrow().getInitialBlock()).isEqualTo(100);
    assertThat(main.module("filtered").orElseThrow().getInputs(0).getParams().getValue()).isEqualTo("min=5");
    SubstreamsPackage sepolia = pkg().withNetwork("sepolia");
    assertThat(sepolia.network()).isEqualTo("sepolia");
    assertThat(sepolia.module("filtered").orElseThrow().getInitialBlock()).isEqualTo(7);
    assertThatThrownBy(() -> pkg().withNetwork("polygon")).hasMessageContaining("network 'polygon' is not one of the package's networks");
  }

  @Test
  void aStoreCannotBeTheOutput() {
    assertThatThrownBy(() -> pkg().requestModules("store_metrics_out")).isInstanceOf(PackageException.class)
        .hasMessageContaining("is a store, not a map").hasMessageContaining("map modules: metrics_out, filtered");
  }
}
