package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;

/**
 * A topic of configured records (a real-time stream's, a declared REST endpoint's) fed to Vespa by
 * the generic processor: {@link RecordDocumentProcessor} for a record class, {@link DeclaredDocumentProcessor}
 * for declared fields. A deployment's sources add theirs to the connector on their own
 * ({@code VerticleProvider.recordRoutes}); an entry written here is for a topic written elsewhere.
 */
public final class RecordTopicOptions extends Options<RecordTopicOptions> {

  public static final OptionSpec<RecordTopicOptions> SPEC = new OptionSpec<>("records[]",
      "A topic of records fed by mapping each record component (or declared field) to the field of the same name", RecordTopicOptions::new);
  static final Option<String> TOPIC = SPEC.required("topic", OptionTypes.nonBlank(), "the Kafka topic");
  static final RecordShape.Keys SHAPE = new RecordShape.Keys(SPEC);

  static {
    SPEC.rule(o -> {
      RecordShape shape = SHAPE.read(o);
      if (shape == null) {
        throw new ConfigException(o.key("recordClass"), "set recordClass or fields");
      }
      if (shape.documentType() == null) {
        throw new ConfigException(o.key("documentType"), "required: the Vespa document type the records are fed to");
      }
      try {
        o.processor = shape.processor(o.getTopic());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(o.key("recordClass"), e.getMessage());
      }
    });
  }

  private DocumentProcessor<?> processor;

  public RecordTopicOptions() {
    super(SPEC);
  }

  public RecordTopicOptions(String topic, String recordClass, String documentType) {
    this();
    setTopic(topic);
    SHAPE.write(this, recordClass, null, null, documentType);
  }

  /**
   * @param topic     the topic
   * @param shapeKeys the keys the source's options declare its records' shape with (the same names as here)
   * @param source    the source's options
   * @return the connector's entry for the source's topic
   */
  public static RecordTopicOptions of(String topic, RecordShape.Keys shapeKeys, Options<?> source) {
    RecordTopicOptions o = new RecordTopicOptions();
    o.setTopic(topic);
    SHAPE.copy(shapeKeys, source, o);
    return o;
  }

  /** @throws IllegalArgumentException when the shape does not qualify */
  DocumentProcessor<?> processor() {
    if (processor == null) {
      RecordShape shape = SHAPE.read(this);
      if (shape == null || shape.documentType() == null) {
        throw new IllegalArgumentException("records entry for '" + getTopic() + "' has no record class or fields and document type");
      }
      processor = shape.processor(getTopic());
    }
    return processor;
  }

  public String getTopic() {
    return get(TOPIC);
  }

  public RecordTopicOptions setTopic(String topic) {
    processor = null;
    return set(TOPIC, topic);
  }

  /** @return the document type, null when not set */
  public String getDocumentType() {
    return SHAPE.documentType(this);
  }
}
