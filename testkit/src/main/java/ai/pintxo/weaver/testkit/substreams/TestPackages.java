package ai.pintxo.weaver.testkit.substreams;

import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supplies;
import ai.pintxo.weaver.substreams.pb.v1.Binary;
import ai.pintxo.weaver.substreams.pb.v1.Module;
import ai.pintxo.weaver.substreams.pb.v1.Modules;
import ai.pintxo.weaver.substreams.pb.v1.Package;
import ai.pintxo.weaver.substreams.pb.v1.PackageMetadata;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Packages of the original two substreams, made here since their releases cannot be downloaded in
 * tests: the real module names and output types, a placeholder binary (the emulator runs no WASM).
 */
public final class TestPackages {

  /** The source type of Ethereum modules. */
  public static final String ETH_BLOCK = "sf.ethereum.type.v2.Block";

  private TestPackages() {
  }

  /** @return {@code pintxo-seaport}: map module {@code metrics_out} of {@code eth.seaport_metrics.v1.Metrics} */
  public static Package seaport() {
    return of("pintxo-stream", "v0.1.0", "metrics_out", Metrics.getDescriptor());
  }

  /** @return {@code erc-20-supply}: map module {@code map_token_supply} of {@code erc20.supply.v1.Supplies} */
  public static Package supply() {
    return of("erc20-supply", "v0.1.2", "map_token_supply", Supplies.getDescriptor());
  }

  /**
   * @return a package with one map module reading Ethereum blocks and producing {@code output}, with a
   *     store module beside it, proto files listed dependents first (as real packages may)
   */
  public static Package of(String name, String version, String module, Descriptor output) {
    Package.Builder b = Package.newBuilder().setVersion(1).setNetwork("mainnet")
        .addPackageMeta(PackageMetadata.newBuilder().setName(name).setVersion(version).setDoc("emulated " + name));
    b.addProtoFiles(output.getFile().toProto());
    for (var dep : output.getFile().getDependencies()) {
      b.addProtoFiles(dep.toProto());
    }
    Binary wasm = Binary.newBuilder().setType("wasm/rust-v1").setContent(ByteString.copyFromUtf8("\0asm emulated " + name)).build();
    Module map = Module.newBuilder().setName(module).setKindMap(Module.KindMap.newBuilder().setOutputType("proto:" + output.getFullName()))
        .setBinaryIndex(0).setBinaryEntrypoint(module)
        .addInputs(Module.Input.newBuilder().setSource(Module.Input.Source.newBuilder().setType(ETH_BLOCK)))
        .setOutput(Module.Output.newBuilder().setType("proto:" + output.getFullName())).setInitialBlock(0).build();
    Module store = Module.newBuilder().setName("store_" + module).setKindStore(Module.KindStore.newBuilder()
            .setUpdatePolicy(Module.KindStore.UpdatePolicy.UPDATE_POLICY_ADD).setValueType("bigint"))
        .setBinaryIndex(0).setBinaryEntrypoint("store_" + module)
        .addInputs(Module.Input.newBuilder().setMap(Module.Input.Map.newBuilder().setModuleName(module)))
        .setInitialBlock(0).build();
    return b.setModules(Modules.newBuilder().addModules(map).addModules(store).addBinaries(wasm)).build();
  }

  /** @return the package written as an {@code .spkg} file */
  public static Path write(Package pkg, Path file) {
    try {
      Files.write(file, pkg.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
