package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.substreams.CursorStore;
import ai.pintxo.weaver.substreams.SubstreamsOptions;
import ai.pintxo.weaver.substreams.SubstreamsVerticle;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weaver substreams cursor get|set|reset <name> [deployment.json]}: shows, moves or removes
 * the cursor a substream resumes from (the compacted cursor topic the verticle writes in the same
 * transaction as its records). A write is refused while a process holds the substream's unit,
 * unless its pipeline is paused: the unit would otherwise overwrite it with its next commit.
 *
 * <p>A command-line thread: every Kafka call here blocks, none runs on an event loop.
 */
final class SubstreamsCursorCommand {

  static final String USAGE = "substreams cursor get|set|reset <name> [deployment.json] [--block N | --cursor C] [--bootstrap-servers H:P] [--force]"
      + "   show, move (set: the next start streams block N first, or resumes after cursor C) or remove (reset: the next start begins"
      + " at startBlock) a substream's cursor; writes need the substream stopped or its pipeline paused";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream out;
  private final Map<String, String> env;

  SubstreamsCursorCommand(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  /** One substream of the deployment, as the command addresses it. */
  private record Target(String pipeline, SubstreamsOptions options, KafkaOptions kafka) {
  }

  /** @param args the arguments after {@code cursor} */
  int run(List<String> args) throws Exception {
    List<String> positional = new ArrayList<>();
    Long block = null;
    String cursor = null;
    String servers = null;
    boolean force = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--block" -> block = parseBlock(value(args, ++i, a));
        case "--cursor" -> cursor = value(args, ++i, a);
        case "--bootstrap-servers" -> servers = value(args, ++i, a);
        case "--force" -> force = true;
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option '" + a + "'; usage: weaver " + USAGE);
          }
          positional.add(a);
        }
      }
    }
    if (positional.size() < 2 || positional.size() > 3 || !List.of("get", "set", "reset").contains(positional.get(0))) {
      throw new IllegalArgumentException("usage: weaver " + USAGE);
    }
    String action = positional.get(0);
    if (action.equals("set") == (block == null && cursor == null)) {
      throw new IllegalArgumentException(action.equals("set") ? "set needs --block N or --cursor C" : action + " takes no --block or --cursor");
    }
    if (block != null && cursor != null) {
      throw new IllegalArgumentException("give --block N or --cursor C, not both");
    }
    Target target = target(positional.get(1), positional.subList(2, positional.size()), servers);
    SubstreamsOptions o = target.options();
    Optional<SubstreamsCursor> stored = CursorStore.readNow(target.kafka(), o.getCursorTopic(), o.getName());
    if (action.equals("get")) {
      out.println(describe(o, stored));
      return 0;
    }
    checkNotRunning(target, force);
    SubstreamsCursor next = null;
    if (action.equals("set")) {
      if (block != null && o.getStopBlock() > 0 && block >= o.getStopBlock()) {
        throw new IllegalArgumentException("substream " + o.getName() + ": block " + block + " is at or after its stopBlock " + o.getStopBlock());
      }
      // The module hash stays the stored one: the verticle still refuses to resume with a changed module.
      String hash = stored.map(SubstreamsCursor::moduleHash).orElse(null);
      next = block != null
          ? new SubstreamsCursor(o.getName(), "", block - 1, "", o.getOutputModule(), hash, System.currentTimeMillis())
          : new SubstreamsCursor(o.getName(), cursor, -1, "", o.getOutputModule(), hash, System.currentTimeMillis());
    }
    CursorStore.writeNow(target.kafka(), o.getCursorTopic(), o.getName(), next);
    out.println((next == null ? "removed the cursor of substream " + o.getName() + "; " : "stored; ") + describe(o, Optional.ofNullable(next)));
    return 0;
  }

  private Target target(String name, List<String> file, String servers) {
    Deployment deployment = Deployment.load(DeploymentFiles.resolve(file), env);
    String type = SubstreamsVerticle.class.getSimpleName();
    List<String> known = new ArrayList<>();
    for (VerticleSpec spec : deployment.verticles()) {
      if (!spec.provider().type().equals(type)) {
        continue;
      }
      SubstreamsOptions options = new SubstreamsOptions(spec.config());
      known.add(options.getName());
      if (options.getName().equals(name) || spec.name().equals(name)) {
        // An embedded broker belongs to the running weaver: reach it on its port.
        String bootstrap = servers != null ? servers
            : deployment.embeddedKafka() ? "127.0.0.1:" + deployment.embeddedPort() : options.getKafka().getBootstrapServers();
        return new Target(options.getCluster().pipeline(spec.name()), options, new KafkaOptions(options.getKafka()).setBootstrapServers(bootstrap));
      }
    }
    throw new IllegalArgumentException("no substream '" + name + "' in " + deployment.file() + " (known: "
        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
  }

  /** Refuses a write while a process holds the unit and the pipeline is not paused. */
  private void checkNotRunning(Target target, boolean force) {
    SubstreamsOptions o = target.options();
    ClusterOptions cluster = o.getCluster();
    Optional<PipelineState> state = ControlTopic.readState(target.kafka(), cluster.getGroup(), target.pipeline(), TIMEOUT);
    if (state.map(PipelineState::paused).orElse(false)) {
      return;
    }
    String pause = "pause it first with POST /pipelines/" + target.pipeline() + "/pause (resume it after the write)";
    if (!cluster.isEnabled()) {
      if (!force) {
        throw new IllegalStateException("substream " + o.getName() + ": with cluster.enabled false, Kafka cannot tell whether a process runs it; "
            + pause + ", or stop the weaver and pass --force");
      }
      return;
    }
    String groupId = cluster.getGroup() + "." + target.pipeline();
    List<String> owners = UnitOwners.of(target.kafka(), groupId, TIMEOUT);
    if (!owners.isEmpty()) {
      throw new IllegalStateException("substream " + o.getName() + " runs in " + String.join(", ", owners) + " (consumer group " + groupId
          + "), so its next commit would overwrite the cursor: " + pause);
    }
  }

  private String describe(SubstreamsOptions o, Optional<SubstreamsCursor> stored) {
    if (stored.isEmpty()) {
      return "substream " + o.getName() + ": no cursor in " + o.getCursorTopic() + "; the next start begins at "
          + (o.getStartBlock() == null ? "the output module's initial block" : "startBlock " + o.getStartBlock());
    }
    SubstreamsCursor c = stored.get();
    StringBuilder s = new StringBuilder("substream " + o.getName() + ": ");
    if (c.byBlockNumber()) {
      s.append("set by block number; the next start streams block ").append(c.blockNumber() + 1).append(" first");
    } else if (c.blockNumber() < 0) {
      s.append("set to a server cursor; the next start resumes after it");
    } else {
      s.append("block ").append(c.blockNumber()).append(" (").append(c.blockId()).append("); the next start resumes after it");
    }
    s.append("\n  module: ").append(c.outputModule()).append(" hash ").append(c.moduleHash() == null ? "-" : c.moduleHash());
    s.append("\n  written: ").append(Instant.ofEpochMilli(c.committedAt()));
    if (!c.byBlockNumber()) {
      s.append("\n  cursor: ").append(c.cursor());
    }
    return s.toString();
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static long parseBlock(String text) {
    try {
      long block = Long.parseLong(text);
      if (block >= 0) {
        return block;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--block must be a block number (0 or more), was '" + text + "'");
  }
}
