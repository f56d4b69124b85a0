package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/** {@code chains-api-topic} → Vespa {@code chain}, id = name; {@code cmcId} defaults to "" as in the original. */
public final class ChainProcessor implements DocumentProcessor<Chain> {

  @Override
  public Topic<Chain> topic() {
    return Chain.TOPIC;
  }

  @Override
  public String documentType() {
    return "chain";
  }

  @Override
  public DocumentOperation process(Chain c) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), c.name()))
        .assign("gecko_id", c.geckoId())
        .assign("tvl", c.tvl())
        .assign("tokenSymbol", c.tokenSymbol())
        .assign("cmcId", c.cmcId() == null ? "" : c.cmcId())
        .assign("name", c.name())
        .assign("chainId", c.chainId())
        .build();
  }
}
