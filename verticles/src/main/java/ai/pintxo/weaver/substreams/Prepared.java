package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.substreams.pb.rpc.v2.Request;
import ai.pintxo.weaver.substreams.pb.v1.Modules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a substream's start-up computes off the event loop: the package with params and network
 * applied, the request's modules, the module hash, the strategy, the auth header.
 */
record Prepared(SubstreamsPackage pkg, Modules modules, String moduleHash, long initialBlock, BlockProcessor processor,
                Optional<Map.Entry<String, String>> auth) {

  private static final Logger LOG = LoggerFactory.getLogger(SubstreamsVerticle.class);

  /** Loads (or downloads) the package and binds the strategy: blocking, run on a worker. */
  static Prepared of(SubstreamsOptions options, Map<String, String> env, SubstreamsMetrics metrics) {
    SpkgLoader loader = new SpkgLoader(Path.of(options.getCacheDir()), Duration.ofSeconds(60));
    SubstreamsPackage pkg = loader.load(options.getManifestUrl()).withNetwork(options.getNetwork()).withParams(options.getParams());
    pkg.outputDescriptor(options.getOutputModule());
    Modules modules = pkg.requestModules(options.getOutputModule());
    SubstreamsStrategy<?> strategy = Strategies.create(options.getStrategy());
    strategy.init(new StrategyContext(options.getName(), options.getOutputModule(), pkg.descriptors(),
        Optional.ofNullable(options.getCoinList()).map(Path::of)));
    BlockProcessor processor = new BlockProcessor(options.getName(), options.getOutputModule(), pkg.descriptors(),
        Strategies.bind(strategy, options.topic()), metrics.deadLetters::increment);
    return new Prepared(pkg, modules, pkg.moduleHash(options.getOutputModule()),
        pkg.module(options.getOutputModule()).orElseThrow().getInitialBlock(), processor, Credentials.header(options, env));
  }

  /**
   * @param stored the cursor stored by an earlier run, if any
   * @throws SubstreamsException when the output module changed since, unless the options allow it
   */
  void checkModuleHash(SubstreamsOptions options, Optional<SubstreamsCursor> stored) {
    if (stored.isEmpty() || stored.get().moduleHash() == null || stored.get().moduleHash().equals(moduleHash)) {
      return;
    }
    String message = "substream " + options.getName() + ": output module hash changed from " + stored.get().moduleHash() + " to "
        + moduleHash + " since the stored cursor (block " + stored.get().blockNumber() + ")";
    if (!options.isAllowModuleHashChange()) {
      throw new SubstreamsException(message + "; refusing to resume (set allowModuleHashChange to resume anyway, or use another name)");
    }
    LOG.atWarn().addKeyValue("substream", options.getName()).log("substreams.module_hash_changed: {}; resuming as allowed", message);
  }

  /**
   * @param committed the cursor to resume after, or null to start at the configured block
   * @return the {@code Blocks} request
   */
  Request request(SubstreamsOptions options, SubstreamsCursor committed) {
    Request.Builder b = Request.newBuilder()
        .setOutputModule(options.getOutputModule())
        .setModules(modules)
        .setProductionMode(options.isProductionMode())
        .setFinalBlocksOnly(options.isFinalBlocksOnly())
        .setStartBlockNum(options.getStartBlock() != null ? options.getStartBlock() : initialBlock);
    if (options.getStopBlock() > 0) {
      // Extended by the undo buffer so that its last blocks can become final (the Go sink does the same).
      b.setStopBlockNum(options.getStopBlock() + options.effectiveUndoBufferSize());
    }
    if (committed != null && committed.byBlockNumber()) {
      b.setStartBlockNum(committed.blockNumber() + 1); // an operator's position: no server cursor to resume from
    } else if (committed != null) {
      b.setStartCursor(committed.cursor());
    }
    return b.build();
  }
}
