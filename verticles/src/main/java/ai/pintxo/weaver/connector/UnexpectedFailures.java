package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.RecordOrigin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an unexpected exception in a topic's code (a processor or serde bug, as opposed to a record
 * the code refuses with a typed failure) impossible to miss without flooding the log: every
 * occurrence is counted in {@code weaver.processor.failures{topic,stage,exception}}, and the stack
 * trace is logged at ERROR once per processor and exception class. The record itself is
 * dead-lettered by the caller, with the exception class in its headers.
 *
 * <p>Threading: confined to the connector's event loop.
 */
final class UnexpectedFailures {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);

  private final MeterRegistry registry;
  /** Processor class and exception class pairs already logged: bounded by the code, not the data. */
  private final Set<String> logged = new HashSet<>();

  UnexpectedFailures(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Counts the failure and logs its stack trace if it is the first of its kind.
   *
   * @return the one-line error for the dead letter
   */
  String report(String topic, String stage, DocumentProcessor<?> processor, RecordOrigin origin, RuntimeException e) {
    String exception = e.getClass().getName();
    counter(topic, stage, exception).increment();
    String processorName = processor.getClass().getName();
    if (logged.add(processorName + " " + exception)) {
      LOG.atError().setCause(e).addKeyValue("topic", topic).addKeyValue("stage", stage).addKeyValue("processor", processorName)
          .addKeyValue("exception", exception).addKeyValue("origin", origin)
          .log("connector.processor_failed: unexpected {} at {}; its records are dead-lettered, further ones are counted"
              + " in weaver.processor.failures without a stack trace", exception, origin);
    }
    return "unexpected " + exception + " in " + processor.getClass().getSimpleName() + " (" + stage + ") for " + origin + ": "
        + e.getMessage();
  }

  /** @return the counter of a topic, stage and exception class */
  Counter counter(String topic, String stage, String exception) {
    return Counter.builder("weaver.processor.failures").description("Unexpected exceptions in a topic's processor or serde (bugs)")
        .tag("topic", topic).tag("stage", stage).tag("exception", exception).register(registry);
  }
}
