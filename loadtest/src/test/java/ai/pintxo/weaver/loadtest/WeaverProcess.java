package ai.pintxo.weaver.loadtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A weaver in a JVM of its own ({@code weaver run deployment.json}, as in production), so that the soak's
 * RSS, threads, descriptors and GC figures are the weaver's (with its embedded broker), not those of
 * Gatling and the emulators sharing the load generator's JVM. Its GC is logged to a file ({@code -Xlog:gc})
 * for {@link GcLog}; its output goes to {@code weaver.log} beside it.
 */
final class WeaverProcess implements AutoCloseable {

  private final Process process;
  final Path gcLog;
  final Path log;

  private WeaverProcess(Process process, Path gcLog, Path log) {
    this.process = process;
    this.gcLog = gcLog;
    this.log = log;
  }

  static WeaverProcess start(Path deployment, String heap) throws IOException {
    Path dir = deployment.getParent();
    Path gcLog = dir.resolve("gc.log");
    Path log = dir.resolve("weaver.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"),
        "ai.pintxo.weaver.launcher.Weaver", "run", deployment.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new WeaverProcess(process, gcLog, log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the weaver drains and stops
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
