package ai.pintxo.weaver.it;

import ai.pintxo.weaver.codecs.Keyed;
import java.math.BigDecimal;

/**
 * A trade whose {@code price} accessor has a bug: it throws for symbols starting with {@code BOOM}.
 * Fed through {@link ai.pintxo.weaver.connector.RecordDocumentProcessor} to the {@code trade}
 * schema, it produces the three processor outcomes: a document, a refusal (an empty symbol is no
 * document id) and an unexpected exception.
 */
public record FragileTrade(String symbol, long tradeId, BigDecimal price, BigDecimal quantity, long tradeTime, boolean buyerIsMaker)
    implements Keyed {

  @Override
  public BigDecimal price() {
    if (symbol.startsWith("BOOM")) {
      throw new IllegalStateException("price of " + symbol + " exploded");
    }
    return price;
  }

  @Override
  public String key() {
    return symbol;
  }
}
