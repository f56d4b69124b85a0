package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** Deployment entries of every source type against the testkit's emulators, for tests that run them all. */
final class SourceEntries {

  private SourceEntries() {
  }

  /** The chains endpoint, polled once an hour (the first poll at start), every record produced. */
  static JsonObject chainsPoller(ApiEmulator api) {
    return new JsonObject().put("name", "api-poller").put("verticle", "ApiPollerVerticle").put("config", new JsonObject()
        .put("endpoints", new JsonArray().add(new JsonObject().put("endpoint", api.url("https://api.llama.fi/v2/chains"))
            .put("dataType", "chains").put("interval", "1h").put("conditional", false)))
        .put("changeOnly", false));
  }

  /** Pyth streaming the given feeds from the emulator. */
  static JsonObject pyth(HermesEmulator hermes, List<HermesFeed> feeds) {
    JsonArray pythFeeds = new JsonArray();
    feeds.forEach(f -> pythFeeds.add(new JsonObject().put("id", f.id()).put("symbol", f.symbol())));
    return new JsonObject().put("name", "pyth").put("verticle", "PythVerticle").put("config", new JsonObject()
        .put("endpoint", hermes.endpoint()).put("feeds", pythFeeds).put("conflationInterval", "200ms")
        .put("minBackoff", "100ms").put("maxBackoff", "1s"));
  }

  /** The seaport substream from block 0, without end, from the package written at {@code spkg}. */
  static JsonObject seaport(SubstreamsEmulator substreams, Path spkg, Path cacheDir) {
    return new JsonObject().put("name", "substream").put("verticle", "SubstreamsVerticle").put("config", new JsonObject()
        .put("name", "pintxo-seaport").put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy")
        .put("outputModule", "metrics_out").put("endpoint", substreams.endpoint()).put("plaintext", true)
        .put("startBlock", 0).put("stopBlock", 0).put("cacheDir", cacheDir.toString())
        .put("minBackoff", "100ms").put("maxBackoff", "1s"));
  }

  /** The engine connector feeding the emulator from the given topics. */
  static JsonObject connector(VespaEmulator vespa, String... topics) {
    return new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle").put("config", new JsonObject()
        .put("topics", new JsonArray(List.of((Object[]) topics))).put("commitInterval", "200ms")
        .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())));
  }
}
