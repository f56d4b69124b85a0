package ai.pintxo.weaver.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the deployment file a command was given, or the default {@code conf/deployment.json}. */
public final class DeploymentFiles {

  static final String DEFAULT = "conf/deployment.json";

  private DeploymentFiles() {
  }

  /**
   * @param positional the command's positional arguments
   * @return the file: the first argument, else {@code conf/deployment.json} in the working directory,
   *     else under {@code WEAVER_HOME} (set by {@code bin/weaver})
   */
  public static Path resolve(List<String> positional) {
    if (!positional.isEmpty()) {
      return Path.of(positional.get(0));
    }
    Path local = Path.of(DEFAULT);
    String home = System.getenv("WEAVER_HOME");
    if (!Files.exists(local) && home != null && Files.exists(Path.of(home, DEFAULT))) {
      return Path.of(home, DEFAULT);
    }
    return local;
  }
}
