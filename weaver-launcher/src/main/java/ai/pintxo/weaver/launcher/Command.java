package ai.pintxo.weaver.launcher;

import java.util.List;

/**
 * One {@code weaver} sub-command. The launcher's own commands are built in; a module that adds one
 * (the demo, whose emulators stay out of the production jar) lists its class in
 * {@code META-INF/services/ai.pintxo.weaver.launcher.Command} and the command exists when that
 * module is on the class path.
 */
public interface Command {

  /** @return the word that selects it, e.g. {@code run} */
  String name();

  /** @return usage line and one-sentence description */
  String usage();

  /**
   * @param args the arguments after the command name
   * @return the process exit code; a command that keeps running returns -1 and leaves the JVM up
   */
  int run(List<String> args) throws Exception;
}
