package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The Pyth bench's broker, in a JVM of its own as in a deployment: a single-node KRaft broker on a
 * fresh log directory. Prints {@code BROKER host:port} once it accepts clients, stops when its
 * standard input closes.
 */
final class PythBroker {

  private PythBroker() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = ChildOutput.protocol();
    try (EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("weaver-bench-pyth-kafka"), 0).start()) {
      out.println("BROKER " + kafka.bootstrapServers());
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // runs until the bench closes our standard input
      }
    }
    System.exit(0);
  }
}
