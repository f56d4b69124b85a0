package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;

/** A topic of configured records (a real-time stream's) fed to Vespa by a {@link RecordDocumentProcessor}. */
public final class RecordTopicOptions extends Options<RecordTopicOptions> {

  public static final OptionSpec<RecordTopicOptions> SPEC = new OptionSpec<>("records[]",
      "A topic of records fed by mapping each record component to the field of the same name", RecordTopicOptions::new);
  static final Option<String> TOPIC = SPEC.required("topic", OptionTypes.nonBlank(), "the Kafka topic");
  static final Option<String> RECORD_CLASS = SPEC.required("recordClass", OptionTypes.nonBlank(),
      "the record class (a Java record implementing Keyed)");
  static final Option<String> DOCUMENT_TYPE = SPEC.required("documentType", OptionTypes.nonBlank(), "the Vespa document type");

  static {
    SPEC.rule(o -> {
      try {
        o.processor();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(o.key("recordClass"), e.getMessage());
      }
    });
  }

  public RecordTopicOptions() {
    super(SPEC);
  }

  public RecordTopicOptions(String topic, String recordClass, String documentType) {
    this();
    setTopic(topic).setRecordClass(recordClass).setDocumentType(documentType);
  }

  /** @throws IllegalArgumentException when the class does not qualify */
  RecordDocumentProcessor<?> processor() {
    return RecordDocumentProcessor.of(getTopic(), getRecordClass(), getDocumentType());
  }

  public String getTopic() {
    return get(TOPIC);
  }

  public RecordTopicOptions setTopic(String topic) {
    return set(TOPIC, topic);
  }

  public String getRecordClass() {
    return get(RECORD_CLASS);
  }

  public RecordTopicOptions setRecordClass(String recordClass) {
    return set(RECORD_CLASS, recordClass);
  }

  public String getDocumentType() {
    return get(DOCUMENT_TYPE);
  }

  public RecordTopicOptions setDocumentType(String documentType) {
    return set(DOCUMENT_TYPE, documentType);
  }
}
