package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;

/**
 * A token of GeckoTerminal's JSON:API {@code included} list, as a pool's base or quote token.
 *
 * @param id              the resource id, {@code <network>_<address>}
 * @param address         the contract address
 * @param name            the token name
 * @param symbol          the ticker
 * @param decimals        the token's decimals, when GeckoTerminal knows them
 * @param coingeckoCoinId the CoinGecko coin id, when the token is listed there
 */
public record GeckoToken(String id, String address, String name, String symbol, Integer decimals, String coingeckoCoinId) {

  public GeckoToken {
    Fields.requireText(id, "id");
  }
}
