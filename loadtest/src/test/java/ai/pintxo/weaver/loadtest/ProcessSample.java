package ai.pintxo.weaver.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One look at a Linux process: its resident set, threads and open file descriptors (from {@code /proc}),
 * and the GC pauses its log recorded since the previous look.
 *
 * @param seconds   since the soak started
 * @param rssMb     VmRSS
 * @param threads   the kernel's thread count, every JVM thread included
 * @param fds       entries of {@code /proc/<pid>/fd}: sockets, files, pipes, epoll
 * @param sockets   those of them that are sockets (connections, listeners)
 * @param gc        pauses since the previous sample; heap after the last GC so far
 */
record ProcessSample(long seconds, long rssMb, int threads, int fds, int sockets, GcLog.Pauses gc) {

  static ProcessSample take(long pid, long seconds, GcLog gcLog) {
    long rssKb = -1;
    int threads = -1;
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not read " + proc + "/status: " + e);
    }
    int fds = -1;
    int sockets = -1;
    try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
      List<Path> all = entries.toList();
      fds = all.size();
      sockets = (int) all.stream().filter(ProcessSample::socket).count();
    } catch (IOException | RuntimeException e) {
      System.err.println("could not list " + proc + "/fd: " + e);
    }
    return new ProcessSample(seconds, rssKb < 0 ? -1 : rssKb / 1024, threads, fds, sockets, gcLog.read());
  }

  private static boolean socket(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("socket:");
    } catch (IOException | RuntimeException e) {
      return false; // closed meanwhile
    }
  }

  static String csvHeader() {
    return "seconds,rss_mb,heap_after_gc_mb,gc_pauses,gc_pause_total_ms,gc_pause_max_ms,fds,sockets,threads";
  }

  String csv() {
    return seconds + "," + rssMb + "," + gc.heapAfterMb() + "," + gc.count() + "," + String.format("%.1f", gc.totalMillis()) + ","
        + String.format("%.1f", gc.maxMillis()) + "," + fds + "," + sockets + "," + threads;
  }
}
