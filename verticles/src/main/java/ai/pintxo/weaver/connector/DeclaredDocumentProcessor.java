package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.declared.DeclaredField;
import ai.pintxo.weaver.codecs.declared.DeclaredRecord;
import ai.pintxo.weaver.codecs.declared.DeclaredSchema;
import ai.pintxo.weaver.codecs.declared.DeclaredSerde;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic processor of a topic of {@link DeclaredRecord}s (a REST endpoint whose fields are
 * declared in configuration): an upsert of the document {@code key()} (the id field) of the given
 * type, each declared field assigned to the Vespa field of its name, absent values left out. Types
 * map as the record-class processor maps them ({@link RecordDocumentProcessor}): string → string,
 * long → long, double → double, decimal → string (exact, as written by the source), boolean → bool,
 * array&lt;string&gt; → array&lt;string&gt;.
 */
public final class DeclaredDocumentProcessor implements DocumentProcessor<DeclaredRecord> {

  private final Topic<DeclaredRecord> topic;
  private final String documentType;
  private final DeclaredSchema schema;

  public DeclaredDocumentProcessor(String topic, DeclaredSchema schema, String documentType) {
    this.topic = DeclaredSerde.topic(topic, schema);
    this.schema = schema;
    this.documentType = documentType;
  }

  @Override
  public Topic<DeclaredRecord> topic() {
    return topic;
  }

  @Override
  public String documentType() {
    return documentType;
  }

  /** @return the declared fields it writes */
  public DeclaredSchema schema() {
    return schema;
  }

  @Override
  public DocumentOperation process(DeclaredRecord record) {
    DocumentId id;
    try {
      id = DocumentId.pintxo(documentType, record.key());
    } catch (IllegalArgumentException e) {
      throw new PermanentFailure(RecordOrigin.source(topic.name()), "process", 0, "its key is not a document id: " + e.getMessage(), e);
    }
    DocumentUpdate.Builder update = DocumentUpdate.upsert(id);
    List<DeclaredField> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (!record.has(i)) {
        continue;
      }
      String name = fields.get(i).name();
      switch (fields.get(i).type()) {
        case STRING -> update.assign(name, record.string(i));
        case LONG -> update.assign(name, record.longValue(i));
        case DOUBLE -> update.assign(name, record.doubleValue(i));
        case DECIMAL -> update.assign(name, record.decimal(i).toPlainString());
        case BOOLEAN -> update.assign(name, record.bool(i));
        case STRINGS -> update.assign(name, new ArrayList<>(record.strings(i)));
        default -> throw new IllegalStateException(fields.get(i).type().name());
      }
    }
    return update.build();
  }
}
