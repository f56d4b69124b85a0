package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.substreams.PackageReport;
import ai.pintxo.weaver.substreams.SpkgLoader;
import ai.pintxo.weaver.substreams.SubstreamsPackage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code weaver substreams inspect <spkg>}: prints a package's name, version, network and modules;
 * {@code weaver substreams cursor …}: see {@link SubstreamsCursorCommand}.
 */
final class SubstreamsCommand implements Command {

  private final PrintStream out;
  private final java.util.Map<String, String> env;

  SubstreamsCommand() {
    this(System.out, System.getenv());
  }

  SubstreamsCommand(PrintStream out) {
    this(out, System.getenv());
  }

  /** @param env the environment the deployment's overrides are read from */
  SubstreamsCommand(PrintStream out, java.util.Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  @Override
  public String name() {
    return "substreams";
  }

  @Override
  public String usage() {
    return "substreams inspect <file.spkg|url> [--cache-dir dir]   print a Substreams package: name, version, network, modules"
        + " (kind, inputs, output type, initial block)\n  " + SubstreamsCursorCommand.USAGE;
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (!args.isEmpty() && args.get(0).equals("cursor")) {
      return new SubstreamsCursorCommand(out, env).run(args.subList(1, args.size()));
    }
    if (args.isEmpty() || !args.get(0).equals("inspect") || args.size() < 2) {
      throw new IllegalArgumentException("usage: weaver " + usage());
    }
    Path cache = SpkgLoader.DEFAULT_CACHE;
    for (int i = 2; i < args.size(); i++) {
      if (args.get(i).equals("--cache-dir") && i + 1 < args.size()) {
        cache = Path.of(args.get(++i));
      } else {
        throw new IllegalArgumentException("unknown option '" + args.get(i) + "'; usage: weaver " + usage());
      }
    }
    SubstreamsPackage pkg = new SpkgLoader(cache, Duration.ofSeconds(60)).load(args.get(1));
    out.print(PackageReport.render(pkg));
    out.flush();
    return 0;
  }
}
