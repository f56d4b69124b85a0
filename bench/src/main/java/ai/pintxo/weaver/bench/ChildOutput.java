package ai.pintxo.weaver.bench;

import ch.qos.logback.classic.Level;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;

/**
 * Standard output of a child JVM that talks to its parent by lines: the parent reads it only while
 * it waits for a line, so logs must not go there (a full pipe would stall the child). Logs go to
 * standard error (the bench's log file), at WARN, so they cost the measurement nothing.
 */
final class ChildOutput {

  private ChildOutput() {
  }

  /** @return the stream for the lines the parent waits for; call first thing in main */
  static PrintStream protocol() {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    return protocol;
  }
}
