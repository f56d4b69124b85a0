package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/** {@code erc-20-supply-substreams-topic} → Vespa {@code erc20_supply}, id = token address. */
public final class SupplyProcessor implements DocumentProcessor<SupplyMetric> {

  @Override
  public Topic<SupplyMetric> topic() {
    return SupplyMetric.TOPIC;
  }

  @Override
  public String documentType() {
    return "erc20_supply";
  }

  @Override
  public DocumentOperation process(SupplyMetric s) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), s.address()))
        .assign("address", s.address())
        .assign("supply", s.supply())
        .build();
  }
}
