package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.substreams.pb.v1.Module;
import java.util.List;

/** The text {@code weaver substreams inspect} prints: package, network, and one line per module. */
public final class PackageReport {

  private PackageReport() {
  }

  /** @return the report, lines ending in a newline */
  public static String render(SubstreamsPackage pkg) {
    StringBuilder out = new StringBuilder();
    out.append("package: ").append(blank(pkg.name())).append(' ').append(blank(pkg.version())).append('\n');
    out.append("network: ").append(blank(pkg.network())).append('\n');
    if (!pkg.raw().getNetworksMap().isEmpty()) {
      out.append("networks: ").append(String.join(", ", new java.util.TreeSet<>(pkg.raw().getNetworksMap().keySet()))).append('\n');
    }
    if (!pkg.raw().getSinkModule().isEmpty()) {
      out.append("sink module: ").append(pkg.raw().getSinkModule()).append('\n');
    }
    out.append("proto files: ").append(pkg.raw().getProtoFilesCount()).append(", message types: ")
        .append(pkg.descriptors().messages().size()).append('\n');
    List<Module> modules = pkg.modules();
    out.append("modules: ").append(modules.size()).append('\n');
    for (Module m : modules) {
      out.append("  ").append(m.getName()).append('\n');
      out.append("    kind: ").append(SubstreamsPackage.kind(m));
      if (m.hasKindStore()) {
        out.append(" (").append(m.getKindStore().getUpdatePolicy().name().replace("UPDATE_POLICY_", "").toLowerCase()).append(')');
      }
      out.append('\n');
      out.append("    inputs: ").append(String.join(", ", SubstreamsPackage.inputs(m))).append('\n');
      out.append("    output type: ").append(blank(SubstreamsPackage.outputType(m))).append('\n');
      out.append("    initial block: ").append(Long.toUnsignedString(m.getInitialBlock())).append('\n');
    }
    return out.toString();
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? "(none)" : s;
  }
}
