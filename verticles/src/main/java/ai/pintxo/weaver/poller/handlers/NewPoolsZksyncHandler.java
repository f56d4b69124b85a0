package ai.pintxo.weaver.poller.handlers;

import ai.pintxo.weaver.codecs.api.GeckoPool;

/** Data type {@code new_pools_zksync}: GeckoTerminal {@code /api/v2/networks/zksync/new_pools}, JSON:API with {@code included}. */
public final class NewPoolsZksyncHandler extends GeckoTerminalPoolsHandler {

  public NewPoolsZksyncHandler() {
    super("new_pools_zksync", GeckoPool.NEW_POOLS_ZKSYNC_TOPIC);
  }
}
