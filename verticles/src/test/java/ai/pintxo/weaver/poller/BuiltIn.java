package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.connector.DocumentProcessor;
import ai.pintxo.weaver.connector.DocumentProcessors;

/** The built-in data types' handlers and processors, typed for tests (they are configuration, not classes). */
public final class BuiltIn {

  private BuiltIn() {
  }

  /** @return the handler of a built-in data type */
  @SuppressWarnings("unchecked")
  public static <T extends Keyed> ApiHandler<T> handler(String dataType) {
    return (ApiHandler<T>) ApiHandlers.installed().forDataType(dataType).orElseThrow();
  }

  /** @return the installed processor of a topic */
  @SuppressWarnings("unchecked")
  public static <T> DocumentProcessor<T> processor(String topic) {
    return (DocumentProcessor<T>) DocumentProcessors.installed().forTopic(topic).orElseThrow();
  }
}
