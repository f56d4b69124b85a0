package ai.pintxo.weaver.kafka;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;

/** The single-node KRaft broker the launcher runs in-process when no bootstrap servers are configured. */
public final class EmbeddedKafkaOptions extends Options<EmbeddedKafkaOptions> {

  /** The embedded broker's default client port. */
  public static final int DEFAULT_PORT = 9092;

  public static final OptionSpec<EmbeddedKafkaOptions> SPEC = new OptionSpec<>("kafka.embedded",
      "The in-process broker of the default run", EmbeddedKafkaOptions::new);
  static final Option<String> DATA_DIR = SPEC.option("dataDir", OptionTypes.nonBlank(), "../data/kafka",
      "log directory, kept across restarts (relative to the deployment file)");
  static final Option<Integer> PORT = SPEC.option("port", OptionTypes.integer(0, 65535), DEFAULT_PORT,
      "client port (0 picks a free one)");
  static final Option<Integer> CONTROLLER_PORT = SPEC.option("controllerPort", OptionTypes.integer(0, 65535), 0,
      "KRaft controller port on 127.0.0.1, for a firewall or port plan (0 picks a free one at each start)");

  public EmbeddedKafkaOptions() {
    super(SPEC);
  }

  public String getDataDir() {
    return get(DATA_DIR);
  }

  public EmbeddedKafkaOptions setDataDir(String dataDir) {
    return set(DATA_DIR, dataDir);
  }

  public int getPort() {
    return get(PORT);
  }

  public EmbeddedKafkaOptions setPort(int port) {
    return set(PORT, port);
  }

  public int getControllerPort() {
    return get(CONTROLLER_PORT);
  }

  public EmbeddedKafkaOptions setControllerPort(int controllerPort) {
    return set(CONTROLLER_PORT, controllerPort);
  }
}
