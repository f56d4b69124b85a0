package ai.pintxo.weaver.launcher;

import java.util.List;

/** {@code weaver config [deployment.json]}: validates and prints the effective configuration, secrets masked. */
final class ConfigCommand implements Command {

  @Override
  public String name() {
    return "config";
  }

  @Override
  public String usage() {
    return "config [deployment.json]   validate a deployment and print its effective configuration (defaults and environment overrides applied, secrets masked)\n"
        + "  config --describe [VerticleType]   print every key with its type, default and doc";
  }

  @Override
  public int run(List<String> args) {
    if (!args.isEmpty() && args.get(0).equals("--describe")) {
      return describe(args.subList(1, args.size()));
    }
    Deployment deployment = Deployment.load(DeploymentFiles.resolve(args), System.getenv());
    System.out.println(Secrets.mask(deployment.effective()).encodePrettily());
    if (!deployment.overrides().isEmpty()) {
      System.err.println("overridden from the environment: " + String.join(", ", deployment.overrides()));
    }
    return 0;
  }

  private static int describe(List<String> args) {
    if (args.isEmpty()) {
      System.out.print(ConfigReference.all());
      return 0;
    }
    return ConfigReference.verticle(args.get(0)).map(text -> {
      System.out.print(text);
      return 0;
    }).orElseGet(() -> {
      System.err.println("weaver config --describe: unknown verticle type '" + args.get(0) + "' (known: "
          + String.join(", ", Deployment.providers().keySet()) + ")");
      return 2;
    });
  }
}
