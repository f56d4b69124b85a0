package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/**
 * A DefiLlama overview topic → its Vespa document type, id = {@code defillamaId}. The three overview
 * endpoints share the record and the field layout; each subclass names its topic and document type.
 * Absent figures stay absent (a protocol without 30-day data is not a protocol with 0 volume).
 */
public abstract class ProtocolOverviewProcessor implements DocumentProcessor<ProtocolOverview> {

  private final Topic<ProtocolOverview> topic;
  private final String documentType;

  protected ProtocolOverviewProcessor(Topic<ProtocolOverview> topic, String documentType) {
    this.topic = topic;
    this.documentType = documentType;
  }

  @Override
  public Topic<ProtocolOverview> topic() {
    return topic;
  }

  @Override
  public String documentType() {
    return documentType;
  }

  @Override
  public DocumentOperation process(ProtocolOverview p) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType, p.defillamaId()))
        .assign("defillamaId", p.defillamaId())
        .assign("name", p.name())
        .assign("displayName", p.displayName())
        .assign("slug", p.slug())
        .assign("module", p.module())
        .assign("category", p.category())
        .assign("protocolType", p.protocolType())
        .assign("parentProtocol", p.parentProtocol())
        .assign("chains", p.chains())
        .assign("total24h", p.total24h())
        .assign("total48hto24h", p.total48hto24h())
        .assign("total7d", p.total7d())
        .assign("total30d", p.total30d())
        .assign("total1y", p.total1y())
        .assign("totalAllTime", p.totalAllTime())
        .assign("change_1d", p.change1d())
        .assign("change_7d", p.change7d())
        .assign("change_1m", p.change1m())
        .build();
  }
}
