package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/**
 * {@code pintxo-seaport-substreams-topic} → Vespa {@code metric}, id = metric id, with the original
 * fields: {@code protocol_ref} always the Seaport protocol, {@code name} defaulting to
 * {@code Opensea Seaport}, {@code metric} = name.
 */
public final class PintxoMetricProcessor implements DocumentProcessor<PintxoMetric> {

  /** The protocol document every Seaport metric refers to. */
  public static final String PROTOCOL_REF = "id:pintxo:protocol::Opensea_Seaport";
  /** The name of a metric whose key has no other {@code k=v} part. */
  public static final String DEFAULT_NAME = "Opensea Seaport";

  @Override
  public Topic<PintxoMetric> topic() {
    return PintxoMetric.TOPIC;
  }

  @Override
  public String documentType() {
    return "metric";
  }

  @Override
  public DocumentOperation process(PintxoMetric m) {
    String name = m.name() == null ? DEFAULT_NAME : m.name();
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), m.id()))
        .assign("protocol_ref", PROTOCOL_REF)
        .assign("token", m.token())
        .assign("name", name)
        .assign("metric", name)
        .assign("interval", m.interval())
        .assign("interval_value", m.intervalValue())
        .assign("value", m.value())
        .build();
  }
}
