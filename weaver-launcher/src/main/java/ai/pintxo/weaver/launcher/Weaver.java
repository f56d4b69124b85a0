package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code weaver} command: {@code run} a deployment, run the offline {@code demo}, print the
 * effective {@code config}, {@code dlq replay} dead letters after a fix, {@code substreams inspect} a package.
 */
public final class Weaver {

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new RunCommand(), new DemoCommand(), new ConfigCommand(), new DlqCommand(), new SubstreamsCommand())) {
      COMMANDS.put(c.name(), c);
    }
  }

  private Weaver() {
  }

  public static void main(String[] args) {
    int code = execute(args);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /** @return the exit code, or -1 when the command keeps running (the JVM stays up until stopped) */
  static int execute(String[] args) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      usage();
      return args.length == 0 ? 2 : 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      System.err.println("weaver: unknown command '" + args[0] + "'");
      usage();
      return 2;
    }
    try {
      return command.run(Arrays.asList(args).subList(1, args.length));
    } catch (ConfigException e) {
      System.err.println("weaver " + command.name() + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("weaver " + command.name() + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("weaver " + command.name() + ": " + e);
      return 1;
    }
  }

  private static void usage() {
    System.err.println("usage: weaver <command> [options]");
    COMMANDS.values().forEach(c -> System.err.println("  " + c.usage()));
    System.err.println("Environment: WEAVER_<KEY>__<KEY>… overrides any deployment value (see README, 'Configuration').");
  }
}
