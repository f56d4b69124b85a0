package ai.pintxo.weaver.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link DocumentProcessor}s on the classpath, by topic name: the generic processors of the
 * built-in REST data types ({@code BuiltInDataTypes}) and the classes listed in {@code META-INF/services}.
 */
public final class DocumentProcessors {

  private static final DocumentProcessors INSTALLED = load(DocumentProcessors.class.getClassLoader());

  private final Map<String, DocumentProcessor<?>> byTopic;

  private DocumentProcessors(Map<String, DocumentProcessor<?>> byTopic) {
    this.byTopic = Collections.unmodifiableMap(byTopic);
  }

  /** @return the processors listed in {@code META-INF/services} of the weaver's class loader */
  public static DocumentProcessors installed() {
    return INSTALLED;
  }

  /** @throws IllegalStateException when two processors claim one topic */
  public static DocumentProcessors load(ClassLoader loader) {
    Map<String, DocumentProcessor<?>> map = new TreeMap<>();
    List<DocumentProcessor<?>> all = new ArrayList<>(ai.pintxo.weaver.poller.BuiltInDataTypes.processors());
    ServiceLoader.load(DocumentProcessor.class, loader).forEach(all::add);
    for (DocumentProcessor<?> processor : all) {
      DocumentProcessor<?> previous = map.putIfAbsent(processor.topic().name(), processor);
      if (previous != null) {
        throw new IllegalStateException("topic '" + processor.topic().name() + "' has two processors: "
            + previous.getClass().getName() + " and " + processor.getClass().getName());
      }
    }
    return new DocumentProcessors(map);
  }

  /** @return the processor of a topic */
  public Optional<DocumentProcessor<?>> forTopic(String topic) {
    return Optional.ofNullable(byTopic.get(topic));
  }

  /** @return the topics that have a processor, sorted */
  public Set<String> topics() {
    return byTopic.keySet();
  }
}
