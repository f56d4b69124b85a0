package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/** {@code tokens-api-topic} → Vespa {@code tokens}, id = CoinGecko id. */
public final class TokensProcessor implements DocumentProcessor<Token> {

  @Override
  public Topic<Token> topic() {
    return Token.TOPIC;
  }

  @Override
  public String documentType() {
    return "tokens";
  }

  @Override
  public DocumentOperation process(Token t) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), t.id()))
        .assign("id", t.id())
        .assign("symbol", t.symbol())
        .assign("name", t.name())
        .build();
  }
}
