package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;

/**
 * {@code pyth-price-topic} → Vespa {@code price}, id = base symbol, with the original {@code symbol}
 * and {@code price} fields; the exact price is kept as text next to the double, and {@code stale} says
 * whether the feed went quiet for longer than its bound (the price is then the last one it published).
 */
public final class PriceProcessor implements DocumentProcessor<PythPrice> {

  @Override
  public Topic<PythPrice> topic() {
    return PythPrice.TOPIC;
  }

  @Override
  public String documentType() {
    return "price";
  }

  @Override
  public DocumentOperation process(PythPrice p) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), p.base()))
        .assign("symbol", p.base())
        .assign("price", p.price().doubleValue())
        .assign("price_decimal", p.price().toPlainString())
        .assign("conf", p.conf() == null ? null : p.conf().doubleValue())
        .assign("expo", (long) p.expo())
        .assign("publish_time", p.publishTime())
        .assign("ema_price", p.emaPrice() == null ? null : p.emaPrice().doubleValue())
        .assign("ema_conf", p.emaConf() == null ? null : p.emaConf().doubleValue())
        .assign("feed_id", p.feedId())
        .assign("pyth_symbol", p.symbol())
        .assign("stale", p.stale())
        .build();
  }
}
