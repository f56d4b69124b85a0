package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code weaver} command: {@code run} a deployment, print the effective {@code config},
 * {@code dlq replay} dead letters after a fix, {@code substreams inspect} a package, and whatever
 * commands the modules on the class path add (the offline {@code demo}, from the demo jar).
 */
public final class Weaver {

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  /**
   * Printed for {@code demo} when its module is absent: the production jar holds no emulator, so the
   * demo runs from its own jar.
   */
  static final String DEMO_ELSEWHERE =
      "weaver: 'demo' is not in this jar (it holds no emulators): run bin/weaver demo, or java -jar weaver-demo/target/weaver-demo.jar demo";

  static {
    for (Command c : List.of(new RunCommand(), new ConfigCommand(), new DlqCommand(), new SubstreamsCommand())) {
      COMMANDS.put(c.name(), c);
    }
    COMMANDS.put("schema", new SchemaCommand());
    // Commands of the modules on the class path (the demo jar adds demo); a built-in name cannot be taken over.
    for (Command c : ServiceLoader.load(Command.class)) {
      COMMANDS.putIfAbsent(c.name(), c);
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
    if (command == null && args[0].equals("demo")) {
      System.err.println(DEMO_ELSEWHERE);
      return 2;
    }
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
    if (!COMMANDS.containsKey("demo")) {
      System.err.println("  demo …                     the offline demo runs from its own jar: bin/weaver demo");
    }
    System.err.println("Environment: WEAVER_<KEY>__<KEY>… overrides any deployment value (see README, 'Configuration').");
  }
}
