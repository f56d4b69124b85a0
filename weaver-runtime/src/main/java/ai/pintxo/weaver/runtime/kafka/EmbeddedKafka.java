package ai.pintxo.weaver.runtime.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this
 * JVM, from the Kafka server jars. Its log directory is formatted on first use and reused after:
 * topics, records and committed offsets survive a restart, also after the process was killed.
 *
 * <p>{@link #start()} blocks until the broker accepts clients (3 to 6 s); call it off the event loop.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;
  private int boundPort;
  private int boundControllerPort;

  /**
   * @param dataDir the log directory, created and formatted when missing
   * @param port    the client port on 127.0.0.1, 0 for a free one
   */
  public EmbeddedKafka(Path dataDir, int port) {
    this(dataDir, port, 0);
  }

  /**
   * @param dataDir        the log directory, created and formatted when missing
   * @param port           the client port on 127.0.0.1, 0 for a free one
   * @param controllerPort the KRaft controller's port on 127.0.0.1, 0 for a free one (a firewall or a
   *                       port plan may need it fixed; clients never use it)
   */
  public EmbeddedKafka(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir.toAbsolutePath();
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats the directory if needed and starts the broker.
   *
   * @return this, running
   * @throws IllegalStateException when the broker cannot start (e.g. the directory is in use by another process)
   */
  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
    }
    boundPort = port == 0 ? freePort() : port;
    boundControllerPort = controllerPort == 0 ? freePort() : controllerPort;
    KafkaConfig config = new KafkaConfig(brokerConfig(boundPort, boundControllerPort), false);
    boolean formatted = Files.exists(dataDir.resolve("meta.properties"));
    if (!formatted) {
      try {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(config.nodeId())
            .setClusterId(Uuid.randomUuid().toString())
            .setControllerListenerName(config.controllerListenerNames().get(0))
            .setMetadataLogDirectory(config.metadataLogDir())
            .setDirectories(List.of(dataDir.toString()))
            .setHasDynamicQuorum(false)
            .run();
      } catch (Exception e) {
        throw new IllegalStateException("cannot format Kafka data directory " + dataDir + ": " + e.getMessage(), e);
      }
    }
    KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      raft.startup();
    } catch (Throwable t) {
      // A failed start-up leaves non-daemon threads behind unless shut down.
      try {
        raft.shutdown();
        raft.awaitShutdown();
      } catch (Throwable s) {
        t.addSuppressed(s);
      }
      throw new IllegalStateException("embedded Kafka could not start on " + dataDir + ": " + t.getMessage(), t);
    }
    server = raft;
    LOG.atInfo().addKeyValue("bootstrap", bootstrapServers()).addKeyValue("controllerPort", boundControllerPort).addKeyValue("dataDir", dataDir)
        .addKeyValue("formatted", !formatted).addKeyValue("ms", (System.nanoTime() - t0) / 1_000_000)
        .log("kafka.embedded.started");
    return this;
  }

  private Map<String, String> brokerConfig(int brokerPort, int controllerPort) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // A static quorum lets the controller port change from one start to the next.
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    // After a kill, the controller waits for the old broker session to expire before the new one may register.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "2000");
    return p;
  }

  /** @return {@code 127.0.0.1:<port>} */
  public String bootstrapServers() {
    return "127.0.0.1:" + boundPort;
  }

  /** @return the controller's port while running (the configured one, or the free one picked) */
  public synchronized int controllerPort() {
    return boundControllerPort;
  }

  /** @return the log directory */
  public Path dataDir() {
    return dataDir;
  }

  /** @return whether the broker runs */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Stops the broker cleanly (about a second). */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.atInfo().addKeyValue("dataDir", dataDir).log("kafka.embedded.stopped");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
