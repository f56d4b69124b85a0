package ai.pintxo.weaver.testkit.junit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records Vert.x's "Thread … has been blocked" warnings, so an integration test can assert that
 * nothing blocked an event loop while it ran: the weaver's rule is no blocking call on an event
 * loop, ever.
 */
public final class BlockedThreadRecorder extends AppenderBase<ILoggingEvent> {

  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private BlockedThreadRecorder() {
  }

  /** @return a recorder attached to Vert.x's blocked-thread checker logger */
  public static BlockedThreadRecorder install() {
    BlockedThreadRecorder recorder = new BlockedThreadRecorder();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    recorder.setContext(context);
    recorder.start();
    context.getLogger(CHECKER).addAppender(recorder);
    return recorder;
  }

  @Override
  protected void append(ILoggingEvent event) {
    warnings.add(event.getFormattedMessage());
  }

  /** @return the warnings seen since installation */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Detaches the recorder. */
  public void uninstall() {
    Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(CHECKER);
    logger.detachAppender(this);
    stop();
  }
}
