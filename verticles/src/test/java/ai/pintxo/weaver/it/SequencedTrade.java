package ai.pintxo.weaver.it;

import ai.pintxo.weaver.codecs.DecimalText;
import ai.pintxo.weaver.codecs.Keyed;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;

/**
 * A Binance-shaped trade keyed by symbol and trade id, so that every trade is its own {@code trade}
 * document: a test can tell from Vespa whether any trade of a stream was lost.
 */
public record SequencedTrade(@JsonAlias("s") String symbol,
                             @JsonAlias("t") long tradeId,
                             @JsonAlias("p") @JsonDeserialize(using = DecimalText.class) BigDecimal price,
                             @JsonAlias("q") @JsonDeserialize(using = DecimalText.class) BigDecimal quantity,
                             @JsonAlias("T") long tradeTime,
                             @JsonAlias("m") boolean buyerIsMaker) implements Keyed {

  @Override
  public String key() {
    return symbol + "-" + tradeId;
  }
}
