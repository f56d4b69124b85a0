package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.substreams.pb.v1.Binary;
import ai.pintxo.weaver.substreams.pb.v1.Module;
import ai.pintxo.weaver.substreams.pb.v1.Modules;
import ai.pintxo.weaver.substreams.pb.v1.NetworkParams;
import ai.pintxo.weaver.substreams.pb.v1.Package;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code .spkg}: its modules, its message types, and the module set a request sends. Params
 * and network overrides are applied here, on the client side, as the v2 protocol requires.
 *
 * <p>Immutable and thread-safe; {@link #withParams} and {@link #withNetwork} return new packages.
 */
public final class SubstreamsPackage {

  private static final String PROTO_PREFIX = "proto:";

  private final Package pkg;
  private final String source;
  private final Map<String, Module> modules = new LinkedHashMap<>();
  private final ProtoDescriptors descriptors;

  private SubstreamsPackage(Package pkg, String source, ProtoDescriptors descriptors) {
    this.pkg = pkg;
    this.source = source;
    for (Module m : pkg.getModules().getModulesList()) {
      modules.put(m.getName(), m);
    }
    this.descriptors = descriptors == null ? ProtoDescriptors.build(pkg.getProtoFilesList(), source) : descriptors;
  }

  /**
   * @param bytes  the {@code .spkg} content
   * @param source the path or URL, for messages
   * @throws PackageException when it is not a package or its proto files do not build
   */
  public static SubstreamsPackage parse(byte[] bytes, String source) {
    Package pkg;
    try {
      pkg = Package.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PackageException(source + ": not a Substreams package (" + e.getMessage() + ")", e);
    }
    if (pkg.getModules().getModulesCount() == 0) {
      throw new PackageException(source + ": not a Substreams package (no modules)");
    }
    return new SubstreamsPackage(pkg, source, null);
  }

  /** @return a package from a {@link Package} message, e.g. one the emulator built */
  public static SubstreamsPackage of(Package pkg, String source) {
    return new SubstreamsPackage(pkg, source, null);
  }

  /** @return the raw package */
  public Package raw() {
    return pkg;
  }

  /** @return where it was read from */
  public String source() {
    return source;
  }

  /** @return the package name of its first metadata entry, or empty */
  public String name() {
    return pkg.getPackageMetaCount() == 0 ? "" : pkg.getPackageMeta(0).getName();
  }

  /** @return the package version of its first metadata entry, or empty */
  public String version() {
    return pkg.getPackageMetaCount() == 0 ? "" : pkg.getPackageMeta(0).getVersion();
  }

  /** @return the default network, or empty */
  public String network() {
    return pkg.getNetwork();
  }

  /** @return the modules in package order */
  public List<Module> modules() {
    return List.copyOf(modules.values());
  }

  /** @return the module of that name */
  public Optional<Module> module(String name) {
    return Optional.ofNullable(modules.get(name));
  }

  /** @return the message types of the package */
  public ProtoDescriptors descriptors() {
    return descriptors;
  }

  /** @return {@code map}, {@code store} or {@code block_index} */
  public static String kind(Module m) {
    return switch (m.getKindCase()) {
      case KIND_MAP -> "map";
      case KIND_STORE -> "store";
      case KIND_BLOCK_INDEX -> "block_index";
      case KIND_NOT_SET -> "unknown";
    };
  }

  /** @return the type a module produces: a message type without {@code proto:}, or a store's value type */
  public static String outputType(Module m) {
    String type = switch (m.getKindCase()) {
      case KIND_MAP -> m.getKindMap().getOutputType();
      case KIND_STORE -> m.getKindStore().getValueType();
      case KIND_BLOCK_INDEX -> m.getKindBlockIndex().getOutputType();
      case KIND_NOT_SET -> m.getOutput().getType();
    };
    if (type.isEmpty()) {
      type = m.getOutput().getType();
    }
    return type.startsWith(PROTO_PREFIX) ? type.substring(PROTO_PREFIX.length()) : type;
  }

  /** @return each input as {@code source:<type>}, {@code map:<module>}, {@code store:<module>(<mode>)} or {@code params} */
  public static List<String> inputs(Module m) {
    List<String> out = new ArrayList<>();
    for (Module.Input in : m.getInputsList()) {
      out.add(switch (in.getInputCase()) {
        case SOURCE -> "source:" + in.getSource().getType();
        case MAP -> "map:" + in.getMap().getModuleName();
        case STORE -> "store:" + in.getStore().getModuleName() + "(" + in.getStore().getMode().name().toLowerCase() + ")";
        case PARAMS -> "params";
        case INPUT_NOT_SET -> "unknown";
      });
    }
    return out;
  }

  /**
   * @param moduleName a map module
   * @return the message type of its output
   * @throws PackageException when the module is missing, not a map, or its type is not in the package
   */
  public Descriptor outputDescriptor(String moduleName) {
    Module m = requireMap(moduleName);
    String type = outputType(m);
    return descriptors.message(type).orElseThrow(() -> new PackageException(source + ": output type '" + type
        + "' of module '" + moduleName + "' is not among the package's proto files"));
  }

  /**
   * @return the module, checked to be a map module (the only kind a stream can output)
   * @throws PackageException otherwise, listing the map modules
   */
  public Module requireMap(String moduleName) {
    Module m = modules.get(moduleName);
    if (m == null || m.getKindCase() != Module.KindCase.KIND_MAP) {
      List<String> maps = modules.values().stream().filter(x -> x.getKindCase() == Module.KindCase.KIND_MAP).map(Module::getName).toList();
      throw new PackageException(source + ": " + (m == null ? "no module '" + moduleName + "'" : "module '" + moduleName + "' is a " + kind(m)
          + ", not a map") + " (map modules: " + String.join(", ", maps) + ")");
    }
    return m;
  }

  /** @return the module and every module it reads from, transitively, each after its inputs */
  public List<String> ancestorsAndSelf(String moduleName) {
    Set<String> out = new LinkedHashSet<>();
    visit(moduleName, out, new LinkedHashSet<>());
    return List.copyOf(out);
  }

  private void visit(String name, Set<String> out, Set<String> path) {
    if (out.contains(name)) {
      return;
    }
    Module m = modules.get(name);
    if (m == null) {
      throw new PackageException(source + ": module '" + name + "' is an input but is not in the package");
    }
    if (!path.add(name)) {
      throw new PackageException(source + ": modules read each other in a cycle through '" + name + "'");
    }
    for (Module.Input in : m.getInputsList()) {
      if (in.hasMap()) {
        visit(in.getMap().getModuleName(), out, path);
      } else if (in.hasStore()) {
        visit(in.getStore().getModuleName(), out, path);
      }
    }
    if (m.hasBlockFilter() && !m.getBlockFilter().getModule().isEmpty()) {
      visit(m.getBlockFilter().getModule(), out, path);
    }
    path.remove(name);
    out.add(name);
  }

  /**
   * The modules a request sends: the output module and its ancestors, with binaries re-indexed to the
   * ones they use (as the JS client does).
   */
  public Modules requestModules(String outputModule) {
    requireMap(outputModule);
    Modules all = pkg.getModules();
    Modules.Builder out = Modules.newBuilder();
    Map<Integer, Integer> binaryIndex = new LinkedHashMap<>();
    for (String name : ancestorsAndSelf(outputModule)) {
      Module m = modules.get(name);
      int old = m.getBinaryIndex();
      if (old >= all.getBinariesCount()) {
        throw new PackageException(source + ": module '" + name + "' points to binary " + old + " of " + all.getBinariesCount());
      }
      Integer idx = binaryIndex.get(old);
      if (idx == null) {
        idx = out.getBinariesCount();
        binaryIndex.put(old, idx);
        out.addBinaries(all.getBinaries(old));
      }
      out.addModules(m.toBuilder().setBinaryIndex(idx));
    }
    return out.build();
  }

  /**
   * @param params module name → params string; each module's first input must be {@code params}
   * @return a package with the params applied
   * @throws PackageException naming the module when it does not exist or takes no params
   */
  public SubstreamsPackage withParams(Map<String, String> params) {
    if (params.isEmpty()) {
      return this;
    }
    Package.Builder b = pkg.toBuilder();
    Modules.Builder mods = b.getModulesBuilder();
    params.forEach((name, value) -> {
      int i = indexOf(mods, name);
      if (i < 0) {
        throw new PackageException(source + ": params for module '" + name + "', which is not in the package");
      }
      Module.Builder m = mods.getModulesBuilder(i);
      if (m.getInputsCount() == 0 || !m.getInputs(0).hasParams()) {
        throw new PackageException(source + ": module '" + name + "' takes no params (its first input is not 'params')");
      }
      m.setInputs(0, Module.Input.newBuilder().setParams(Module.Input.Params.newBuilder().setValue(value)));
    });
    return new SubstreamsPackage(b.build(), source, descriptors);
  }

  /**
   * Applies {@code networks[network]}: its params and initial blocks.
   *
   * @param network the network, or empty for the package's default
   * @throws PackageException when the package lists networks and this is not one of them
   */
  public SubstreamsPackage withNetwork(String network) {
    String net = network == null || network.isEmpty() ? pkg.getNetwork() : network;
    if (pkg.getNetworksCount() == 0) {
      return this;
    }
    NetworkParams np = pkg.getNetworksMap().get(net);
    if (np == null) {
      throw new PackageException(source + ": network '" + net + "' is not one of the package's networks " + pkg.getNetworksMap().keySet());
    }
    Package.Builder b = pkg.toBuilder().setNetwork(net);
    Modules.Builder mods = b.getModulesBuilder();
    np.getInitialBlocksMap().forEach((name, block) -> {
      int i = indexOf(mods, name);
      if (i >= 0) {
        mods.getModulesBuilder(i).setInitialBlock(block);
      }
    });
    return new SubstreamsPackage(b.build(), source, descriptors).withParams(np.getParamsMap());
  }

  private static int indexOf(Modules.Builder mods, String name) {
    for (int i = 0; i < mods.getModulesCount(); i++) {
      if (mods.getModules(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** @return the hex module hash of a module (see {@link ModuleHash}) */
  public String moduleHash(String moduleName) {
    return new ModuleHash(this).hex(moduleName);
  }

  /** @return the binary a module runs */
  Binary binary(Module m) {
    return pkg.getModules().getBinaries(m.getBinaryIndex());
  }
}
