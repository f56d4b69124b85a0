package ai.pintxo.weaver.codecs.realtime;

import ai.pintxo.weaver.codecs.DecimalText;
import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;

/**
 * A trade from Binance's trade stream ({@code wss://stream.binance.com:9443/ws/<symbol>@trade}),
 * whose messages name fields by one letter: {@code {"e":"trade","E":1672515782136,"s":"BNBBTC",
 * "t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}}. The example of a stream
 * configured without code: this record and one {@code RealtimeSourceVerticle} entry. Read from
 * Kafka, the long names are accepted too (that is how it is written there). Vespa document: the
 * latest trade per symbol.
 *
 * @param symbol       {@code s}
 * @param tradeId      {@code t}
 * @param price        {@code p}, exact
 * @param quantity     {@code q}, exact
 * @param tradeTime    {@code T}, epoch milliseconds
 * @param buyerIsMaker {@code m}
 */
public record BinanceTrade(@JsonAlias("s") String symbol,
                           @JsonAlias("t") long tradeId,
                           @JsonAlias("p") @JsonDeserialize(using = DecimalText.class) BigDecimal price,
                           @JsonAlias("q") @JsonDeserialize(using = DecimalText.class) BigDecimal quantity,
                           @JsonAlias("T") long tradeTime,
                           @JsonAlias("m") boolean buyerIsMaker) implements Keyed {

  public BinanceTrade {
    Fields.requireText(symbol, "symbol");
    Fields.require(price, "price");
    Fields.require(quantity, "quantity");
  }

  @Override
  public String key() {
    return symbol;
  }
}
