package ai.pintxo.weaver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM started from the bench's own classpath, its output read line by line. */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final List<String> seen = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * @param heap      e.g. {@code 2g}
   * @param mainClass the class to run
   * @param env       extra environment variables
   */
  static ChildJvm start(String heap, String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
    return start(null, heap, mainClass, args, env, log);
  }

  /**
   * @param cpus the cores to pin the JVM to ({@code taskset -c}), or null for no pinning
   */
  static ChildJvm start(String cpus, String heap, String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.add("taskset");
      command.add("-c");
      command.add(cpus);
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return new ChildJvm(builder.start());
  }

  /** @return the first output line that matches, reading up to it; fails if the process ends first */
  String await(Predicate<String> match, long timeoutSeconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (match.test(line)) {
        return line;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new IOException("child JVM ended or timed out without the expected line; it printed: " + seen);
  }

  /** Writes one line to the child's standard input (a command for it). */
  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** @return whether JVMs can be pinned to cores here (Linux taskset, at least two cores) */
  static boolean canPin() {
    return java.nio.file.Files.isExecutable(Path.of("/usr/bin/taskset")) && Runtime.getRuntime().availableProcessors() >= 2;
  }

  long pid() {
    return process.pid();
  }

  /** @return the process's CPU time so far, from /proc (Linux), or -1 */
  double cpuSeconds() {
    return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
