package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/** {@code protocols-api-topic} → Vespa {@code protocol}, id = name; {@code cmcId} defaults to "" as in the original. */
public final class ProtocolProcessor implements DocumentProcessor<Protocol> {

  @Override
  public Topic<Protocol> topic() {
    return Protocol.TOPIC;
  }

  @Override
  public String documentType() {
    return "protocol";
  }

  @Override
  public DocumentOperation process(Protocol p) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), p.name()))
        .assign("id", p.id())
        .assign("name", p.name())
        .assign("address", p.address())
        .assign("symbol", p.symbol())
        .assign("url", p.url())
        .assign("description", p.description())
        .assign("chain", p.chain())
        .assign("gecko_id", p.geckoId())
        .assign("cmcId", p.cmcId() == null ? "" : p.cmcId())
        .assign("category", p.category())
        .assign("chains", p.chains())
        .assign("twitter", p.twitter())
        .assign("tvl", p.tvl())
        .assignMap("chainTvls", p.chainTvls())
        .assign("change_1h", p.change1h())
        .assign("change_1d", p.change1d())
        .assign("change_7d", p.change7d())
        .assign("mcap", p.mcap())
        .build();
  }
}
