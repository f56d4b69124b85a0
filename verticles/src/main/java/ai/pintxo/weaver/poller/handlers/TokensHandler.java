package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.poller.JsonArrayHandler;

/** Data type {@code tokens}: CoinGecko coin list, a bare array. */
public final class TokensHandler extends JsonArrayHandler<Token> {

  public TokensHandler() {
    super("tokens", Token.TOPIC, null);
  }
}
