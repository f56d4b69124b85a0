package ai.pintxo.weaver.launcher;

import java.util.List;

/** One {@code weaver} sub-command. */
interface Command {

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
