package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.realtime.RecordMapping;
import io.vertx.core.json.JsonObject;

/**
 * One stream of the {@link HttpIngestVerticle}: its name (the path {@code /ingest/<name>}), the record
 * class its requests are typed by, the topic the records go to and the bearer token a client must send.
 * Like a real-time stream, a new stream is a record class and one entry. The token is a secret: never
 * logged, masked by {@code weaver config}, meant to come from the environment.
 */
public final class IngestStreamOptions extends Options<IngestStreamOptions> {

  public static final OptionSpec<IngestStreamOptions> SPEC = new OptionSpec<>("streams[]",
      "One stream taken in over HTTP: POST /ingest/<name>, typed by a record class, to a topic", IngestStreamOptions::new);
  static final Option<String> NAME = SPEC.required("name", OptionTypes.matching("[A-Za-z0-9._-]+", "letters, digits, '.', '_' or '-'"),
      "the stream's name: the path /ingest/<name>, in logs and metrics");
  static final Option<String> RECORD_CLASS = SPEC.required("recordClass", OptionTypes.nonBlank(),
      "the record class (a Java record implementing Keyed) each posted item is read into");
  static final Option<String> TOPIC = SPEC.required("topic", OptionTypes.nonBlank(), "the Kafka topic of the records");
  static final Option<String> DOCUMENT_TYPE = SPEC.optional("documentType", OptionTypes.nonBlank(),
      "the Vespa document type the deployment's engine connector feeds the records to (generic processor); unset: Kafka only");
  static final Option<String> TOKEN = SPEC.secret("token",
      "bearer token clients must send (Authorization: Bearer <token>); set it with WEAVER_VERTICLES__<ENTRY>__CONFIG__STREAMS__<NAME>__TOKEN");

  static {
    SPEC.rule(IngestStreamOptions::check);
  }

  private RecordMapping<?> mapping;

  public IngestStreamOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public IngestStreamOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  private void check() {
    if (getToken() == null || getToken().isBlank()) {
      throw new ConfigException(key("token"), "a bearer token is required (set it from the environment)");
    }
    try {
      mapping = RecordMapping.of(getTopic(), getRecordClass(), "", null);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key("recordClass"), e.getMessage());
    }
  }

  /** @return the mapping of the configured record class, the real-time source's: posted items decode as stream events do */
  RecordMapping<? extends Keyed> mapping() {
    if (mapping == null) {
      mapping = RecordMapping.of(getTopic(), getRecordClass(), "", null);
    }
    return mapping;
  }

  public String getName() {
    return get(NAME);
  }

  public IngestStreamOptions setName(String name) {
    return set(NAME, name);
  }

  public String getRecordClass() {
    return get(RECORD_CLASS);
  }

  public IngestStreamOptions setRecordClass(String recordClass) {
    mapping = null;
    return set(RECORD_CLASS, recordClass);
  }

  public String getTopic() {
    return get(TOPIC);
  }

  public IngestStreamOptions setTopic(String topic) {
    mapping = null;
    return set(TOPIC, topic);
  }

  /** @return the document type the deployment's connector feeds the records to, or null (Kafka only) */
  public String getDocumentType() {
    return get(DOCUMENT_TYPE);
  }

  public IngestStreamOptions setDocumentType(String documentType) {
    return set(DOCUMENT_TYPE, documentType);
  }

  public String getToken() {
    return get(TOKEN);
  }

  public IngestStreamOptions setToken(String token) {
    return set(TOKEN, token);
  }
}
