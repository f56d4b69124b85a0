package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * One client of the feed benchmark, run in a JVM of its own: reads the operations, feeds a warm-up
 * share untimed, then all of them timed, and prints one JSON line with the result.
 * {@code FeedClientRunner <client> <opsFile> <endpoint> <connections> <streams> <warmupOps>}.
 */
public abstract class FeedClientRunner {

  protected final String endpoint;
  protected final int connections;
  protected final int streams;

  protected FeedClientRunner(String endpoint, int connections, int streams) {
    this.endpoint = endpoint;
    this.connections = connections;
    this.streams = streams;
  }

  /** @return the client's name in reports */
  protected abstract String name();

  /**
   * Feeds the operations.
   *
   * @param latencies filled with each operation's latency in nanoseconds
   * @return the number of operations that failed
   */
  protected abstract long feed(List<DocumentUpdate> ops, long[] latencies) throws Exception;

  protected void close() throws Exception {
  }

  public static void main(String[] args) throws Exception {
    String client = args[0];
    List<DocumentUpdate> ops = FeedOperations.read(Path.of(args[1]));
    String endpoint = args[2];
    int connections = Integer.parseInt(args[3]);
    int streams = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    FeedClientRunner runner = switch (client) {
      case "weaver" -> new WeaverRunner(endpoint, connections, streams, "netty");
      case "weaver-vertx" -> new WeaverRunner(endpoint, connections, streams, "vertx");
      case "vespa-feed-client" -> new VespaFeedClientRunner(endpoint, connections, streams);
      case "vertx-bare" -> new BareVertxRunner(endpoint, connections, streams);
      default -> throw new IllegalArgumentException("unknown client " + client);
    };
    if (warmup > 0) {
      List<DocumentUpdate> warm = ops.subList(0, Math.min(warmup, ops.size()));
      runner.feed(warm, new long[warm.size()]);
    }
    System.gc();
    long[] latencies = new long[ops.size()];
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long errors = runner.feed(ops, latencies);
    long wall = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    runner.close();
    System.out.println("RESULT " + RunResult.of(runner.name(), latencies, errors, wall, cpu).toJson().encode());
    System.out.flush();
    System.exit(0);
  }
}
