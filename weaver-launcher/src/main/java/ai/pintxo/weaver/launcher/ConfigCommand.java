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
    return "config [deployment.json]   validate a deployment and print its effective configuration (defaults and environment overrides applied, secrets masked)";
  }

  @Override
  public int run(List<String> args) {
    Deployment deployment = Deployment.load(DeploymentFiles.resolve(args), System.getenv());
    System.out.println(Secrets.mask(deployment.effective()).encodePrettily());
    if (!deployment.overrides().isEmpty()) {
      System.err.println("overridden from the environment: " + String.join(", ", deployment.overrides()));
    }
    return 0;
  }
}
