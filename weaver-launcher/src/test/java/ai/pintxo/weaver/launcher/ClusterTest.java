package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.activity.Activity;
import ai.pintxo.weaver.testkit.activity.ActivityLog;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three weaver processes (w1, w2, w3), each a JVM of its own ({@code weaver run}) with the same
 * deployment and {@code cluster.group}, share the sources' units of work through Kafka group
 * membership (issue 10): 10 poller endpoints, 2 Pyth streams, 2 real-time streams and 1 substream,
 * 15 units. The emulators tell which process served which unit (the member named in each request's
 * {@code User-Agent} or gRPC {@code weaver-member}). The test checks that
 * <ul>
 *   <li>each unit is served by exactly one process;</li>
 *   <li>after a SIGKILL the killed process's units are served again by the others within 30 s, and
 *   the substream resumes from the committed cursor, every block exactly once;</li>
 *   <li>nothing is missing in Vespa: every poller record, every trade a live process received, every
 *   Pyth feed's latest price, every substream record;</li>
 *   <li>the restarted process gets units again, and no unit is ever served by two processes at once
 *   (no overlapping connections; no two processes polling one endpoint closer than its interval).</li>
 * </ul>
 */
class ClusterTest {

  static final List<String> MEMBERS = List.of("w1", "w2", "w3");
  static final String GROUP = "clustertest";
  static final Duration POLL_INTERVAL = Duration.ofMillis(1500);
  /** Shorter than the 10 s default so that the takeover, which waits for it, fits CI. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
  static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(30);
  /** Longer than the poll interval: every unit being served shows up in a window this long. */
  static final Duration WINDOW = Duration.ofMillis(3_500);
  /** A trade written this close to its connection's close may have reached a process that had stopped reading. */
  static final Duration CLOSE_MARGIN = Duration.ofMillis(500);

  static final int FEEDS = 20;
  static final int FEEDS_PER_STREAM = 10;
  static final int PER_BLOCK = 2;
  static final int EMPTY_EVERY = 10;
  /** Slow enough that the substream streams for the whole test. */
  static final int BLOCKS_PER_SECOND = 20;
  static final String SUBSTREAM = "pintxo-seaport";
  static final String MODULE = "metrics_out";
  static final String BTC_TOPIC = "cluster-btc-trades-topic";
  static final String SOL_TOPIC = "cluster-sol-trades-topic";

  /** Data type → the real endpoint it is polled at (conf/endpoints.json), served by the API emulator. */
  static final Map<String, String> ENDPOINTS = new LinkedHashMap<>();
  /** Data type → the Vespa document type its records become. */
  static final Map<String, String> DOCUMENT_TYPES = Map.of("protocols", "protocol", "chains", "chain", "bridges", "bridge",
      "pools", "pool", "stablecoins", "stablecoin", "tokens", "tokens", "volumes", "dex_volume", "daily_fees", "daily_fees",
      "daily_revenue", "daily_revenue", "new_pools_zksync", "new_pool");
  /** Units each source declares: pipeline → count. */
  static final Map<String, Integer> UNITS = Map.of("api", 10, "pyth", FEEDS / FEEDS_PER_STREAM, "realtime", 2, "substreams", 1);

  static {
    String overview = "?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true&dataType=";
    ENDPOINTS.put("protocols", "https://api.llama.fi/protocols");
    ENDPOINTS.put("chains", "https://api.llama.fi/v2/chains");
    ENDPOINTS.put("bridges", "https://bridges.llama.fi/bridges?includeChains=true");
    ENDPOINTS.put("pools", "https://yields.llama.fi/pools");
    ENDPOINTS.put("stablecoins", "https://stablecoins.llama.fi/stablecoins?includePrices=true");
    ENDPOINTS.put("tokens", "https://api.coingecko.com/api/v3/coins/list");
    ENDPOINTS.put("volumes", "https://api.llama.fi/overview/dexs" + overview + "totalVolume");
    ENDPOINTS.put("daily_fees", "https://api.llama.fi/overview/fees" + overview + "dailyFees");
    ENDPOINTS.put("daily_revenue", "https://api.llama.fi/overview/fees" + overview + "dailyRevenue");
    ENDPOINTS.put("new_pools_zksync", "https://api.geckoterminal.com/api/v2/networks/zksync/new_pools?include=base_token");
  }

  @TempDir
  Path dir;

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Path> logs = new LinkedHashMap<>();
  private final Set<String> killed = new HashSet<>();

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void unitsAreSharedTakenOverAfterSigkillAndRebalancedOnRestart() throws Exception {
    long startNanos = System.nanoTime();
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0).start()) {
      Vertx vertx = Vertx.vertx();
      try {
        run(kafka, vertx, startNanos);
      } catch (AssertionError | RuntimeException e) {
        printLogTails();
        keepLogs();
        throw e;
      } finally {
        stopAll();
        Await.result(vertx.close());
      }
    }
  }

  private void run(EmbeddedKafka kafka, Vertx vertx, long startNanos) throws Exception {
    long startMillis = System.currentTimeMillis();
    ApiPayloads payloads = new ApiPayloads(1, Map.of("tokens", 30, "protocols", 20, "chains", 20, "bridges", 12, "stablecoins", 15,
        "pools", 25, "volumes", 20, "daily_fees", 20, "daily_revenue", 20, "new_pools_zksync", 30));
    ApiEmulator api = Await.result(ApiEmulator.start(vertx, payloads, 0));
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(FEEDS);
    HermesEmulator hermes = Await.result(HermesEmulator.start(vertx, feeds, 200, 0));
    TradeStreamEmulator trades = Await.result(TradeStreamEmulator.start(vertx, List.of("BTCUSDT", "SOLUSDT"), 100));
    SubstreamsEmulator substreams = Await.result(SubstreamsEmulator.start(vertx, new SubstreamsEmulatorOptions()
        .setOutputs(Payloads.seaport(PER_BLOCK, EMPTY_EVERY)).setBlocksPerSecond(BLOCKS_PER_SECOND)));
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
    Ledger ledger = new Ledger(api.activity(), hermes.activity(), trades.activity(), substreams.activity());
    Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve(SUBSTREAM + ".spkg"));
    KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());

    for (String member : MEMBERS) {
      Path deployment = Files.writeString(dir.resolve(member + ".json"),
          deployment(member, kafka, api, feeds, hermes, trades, substreams, spkg, vespa).encodePrettily());
      start(member, deployment, dir.resolve(member + ".log"));
    }

    // 1. Shared: every unit served by exactly one process.
    Map<String, String> before = awaitStableOwners("every unit served by exactly one of w1, w2, w3", Set.copyOf(MEMBERS),
        Duration.ofSeconds(90), ledger);
    System.out.printf("cluster: %d units, units per process before the kill: %s (%s)%n", before.size(), perMember(before),
        perPipeline(before));

    // 2. SIGKILL the process streaming the substream: its units move to the others.
    String victim = before.get(Ledger.SUBSTREAMS + MODULE);
    Set<String> victimUnits = before.entrySet().stream().filter(e -> e.getValue().equals(victim)).map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
    Instant killedAt = Instant.now();
    Process process = processes.get(victim);
    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no leave-group, an open transaction stays open
    killed.add(victim);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s exited after SIGKILL", victim).isTrue();
    SubstreamsCursor cursorAtKill = cursor(probe).orElse(null);

    Map<String, Duration> takeovers = new TreeMap<>();
    Await.until("the units of " + victim + " served by another process", TAKEOVER_LIMIT.plusSeconds(30), () -> {
      checkAlive();
      for (String unit : victimUnits) {
        ledger.firstAfter(unit, killedAt, victim).ifPresent(a -> takeovers.put(unit, Duration.between(killedAt, a.opened())));
      }
      return takeovers.keySet().containsAll(victimUnits);
    }, () -> "taken over so far: " + takeovers + " of " + victimUnits + "; served in the last " + WINDOW.toMillis() + " ms: "
        + ledger.membersByUnit(Instant.now().minus(WINDOW), Instant.now()));
    Duration takeover = takeovers.values().stream().max(Duration::compareTo).orElseThrow();
    System.out.printf("cluster: SIGKILL of %s (%d units: %s); served again after %.1f s at most (session timeout %d s): %s%n", victim,
        victimUnits.size(), victimUnits, takeover.toMillis() / 1000.0, SESSION_TIMEOUT.toSeconds(), seconds(takeovers));
    assertThat(takeover).as("the killed process's units are served again within %s", TAKEOVER_LIMIT).isLessThanOrEqualTo(TAKEOVER_LIMIT);

    // The substream resumed from the cursor committed with its records.
    Await.until("the substream resumed by a survivor", Duration.ofSeconds(10),
        () -> resumedAfter(substreams, killedAt, victim).isPresent(), substreams::sessionStarts);
    SubstreamsEmulator.SessionStart resumed = resumedAfter(substreams, killedAt, victim).orElseThrow();
    System.out.printf("cluster: substream cursor committed at block %s when %s was killed; %s resumed with a cursor at block %d, "
        + "streaming from block %d%n", cursorAtKill == null ? "none" : cursorAtKill.blockNumber(), victim, resumed.member(),
        resumed.cursorBlock(), resumed.startBlock());
    assertThat(cursorAtKill).as("a cursor was committed before the kill").isNotNull();
    assertThat(resumed.cursorBlock()).as("the survivor resumes from the committed cursor").isEqualTo(cursorAtKill.blockNumber());
    assertThat(resumed.startBlock()).isEqualTo(cursorAtKill.blockNumber() + 1);

    Map<String, String> afterKill = awaitStableOwners("every unit served by exactly one survivor",
        MEMBERS.stream().filter(m -> !m.equals(victim)).collect(Collectors.toSet()), Duration.ofSeconds(30), ledger);
    System.out.printf("cluster: units per process after the kill: %s%n", perMember(afterKill));

    // 3. Restart the killed process: units rebalance to it.
    Instant restartedAt = Instant.now();
    killed.remove(victim);
    start(victim, dir.resolve(victim + ".json"), dir.resolve(victim + "-restarted.log"));
    Map<String, String> after = awaitStableOwners("units rebalanced over w1, w2, w3 after the restart", Set.copyOf(MEMBERS),
        Duration.ofSeconds(90), ledger);
    Instant firstBack = ledger.all().stream().filter(a -> a.member().equals(victim) && a.opened().isAfter(restartedAt))
        .map(Activity::opened).min(Instant::compareTo).orElseThrow();
    System.out.printf("cluster: %s restarted; first unit after %.1f s; units per process after: %s (%s)%n", victim,
        Duration.between(restartedAt, firstBack).toMillis() / 1000.0, perMember(after), perPipeline(after));

    // 4. Nothing missing in Vespa.
    completePyth(hermes, feeds, vespa);
    completeRealtime(trades, probe, vespa, victim, killedAt);
    completeSubstream(probe, vespa, cursorAtKill.blockNumber());
    completePoller(payloads, probe, vespa);

    // 5. Never two processes on one unit at once, over the whole run.
    List<ActivityLog.Overlap> overlaps = ledger.overlaps();
    List<ActivityLog.Handover> tooClose = ledger.api.handoversCloserThan(POLL_INTERVAL);
    System.out.printf("cluster: %d requests and connections accounted, %d overlapping, %d handovers of an endpoint closer than %d ms"
        + "; %.0f s in all%n", ledger.all().size(), overlaps.size(), tooClose.size(), POLL_INTERVAL.toMillis(),
        (System.nanoTime() - startNanos) / 1e9);
    assertThat(overlaps).as("two processes served one unit at the same moment").isEmpty();
    Map<String, Instant> phases = new TreeMap<>(Map.of("1 start", Instant.ofEpochMilli(startMillis), "2 kill", killedAt, "3 restart", restartedAt));
    assertThat(tooClose).as("two processes polled one endpoint closer than its interval (%s): %s", POLL_INTERVAL, tooClose.stream()
        .map(h -> String.format("%s: %s at %s, then %s %d ms later (phase %s)", h.unit(), h.before().member(), h.before().opened(),
            h.after().member(), h.between().toMillis(), phaseOf(phases, h.after().opened()))).toList()).isEmpty();
  }

  /** Every Pyth feed's price in Vespa has reached the one Hermes had emitted when the check began. */
  private static void completePyth(HermesEmulator hermes, List<HermesFeed> feeds, VespaEmulator vespa) {
    Map<String, Long> target = new TreeMap<>();
    feeds.forEach(f -> target.put(f.base(), hermes.latest(f.id()).orElseThrow().publishTime()));
    Map<String, Long> stored = new TreeMap<>();
    Await.until("every Pyth feed's latest price in Vespa", Duration.ofSeconds(30), () -> {
      target.keySet().forEach(base -> stored.put(base, vespa.document("price", base).map(d -> d.getLong("publish_time")).orElse(-1L)));
      return target.entrySet().stream().allMatch(e -> stored.get(e.getKey()) >= e.getValue());
    }, () -> "behind: " + target.entrySet().stream().filter(e -> stored.getOrDefault(e.getKey(), -1L) < e.getValue())
        .map(e -> e.getKey() + " at " + stored.get(e.getKey()) + " < " + e.getValue()).toList());
    System.out.printf("cluster: Pyth: %d feeds, each at its latest publish time in Vespa%n", target.size());
  }

  /**
   * Every trade written to a live process is in Kafka once, and Vespa holds each market's latest.
   * Not required: trades written to the killed process in its last 2 s (they may have died with
   * it), trades written to a connection less than {@link #CLOSE_MARGIN} before it closed (the
   * process had stopped reading: a unit moving away closes its stream, and what the server wrote
   * meanwhile is lost, as there is no replay), and trades sent while no process held the stream.
   * Those are counted.
   */
  private static void completeRealtime(TradeStreamEmulator trades, KafkaProbe probe, VespaEmulator vespa, String victim,
      Instant killedAt) {
    Map<String, Long> last = Map.of("BTCUSDT", trades.lastTradeId("BTCUSDT"), "SOLUSDT", trades.lastTradeId("SOLUSDT"));
    Await.until("each market's latest trade in Vespa", Duration.ofSeconds(30), () -> last.entrySet().stream()
        .allMatch(e -> vespa.document("trade", e.getKey()).map(d -> d.getLong("tradeId")).orElse(-1L) >= e.getValue()),
        () -> vespa.ids("trade") + " " + last);
    List<Activity> connections = trades.activity().all();
    for (Map.Entry<String, String> market : new TreeMap<>(Map.of("BTCUSDT", BTC_TOPIC, "SOLUSDT", SOL_TOPIC)).entrySet()) {
      Map<Long, Integer> inKafka = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : probe.readAll(market.getValue())) {
        inKafka.merge(new JsonObject(Buffer.buffer(r.value())).getLong("tradeId"), 1, Integer::sum);
      }
      // Vespa has reached this trade, so Kafka holds everything up to it; later ones may still be on their way.
      long upTo = last.get(market.getKey());
      List<TradeStreamEmulator.Delivery> delivered = trades.deliveries().stream()
          .filter(d -> d.symbol().equals(market.getKey()) && d.tradeId() <= upTo).toList();
      Set<Long> required = new TreeSet<>();
      int atClose = 0;
      for (TradeStreamEmulator.Delivery d : delivered) {
        boolean dying = d.member().equals(victim) && d.sent().isAfter(killedAt.minusSeconds(2)) && d.sent().isBefore(killedAt.plusSeconds(1));
        Instant closed = connections.stream().filter(a -> a.unit().equals(d.unit()) && a.member().equals(d.member()) && a.during(d.sent(), d.sent()))
            .map(Activity::closed).filter(c -> c != null).findFirst().orElse(null);
        if (dying || (closed != null && Duration.between(d.sent(), closed).compareTo(CLOSE_MARGIN) < 0)) {
          atClose++;
        } else {
          required.add(d.tradeId());
        }
      }
      Set<Long> deliveredIds = delivered.stream().map(TradeStreamEmulator.Delivery::tradeId).collect(Collectors.toSet());
      List<Long> missing = required.stream().filter(id -> !inKafka.containsKey(id)).toList();
      List<Long> twice = inKafka.entrySet().stream().filter(e -> e.getValue() > 1 && e.getKey() <= upTo).map(Map.Entry::getKey).sorted().toList();
      long first = delivered.stream().mapToLong(TradeStreamEmulator.Delivery::tradeId).min().orElse(0);
      System.out.printf("cluster: %s: trades %d..%d, %d delivered to a process (%d of them as its connection closed), %d in Kafka, "
          + "%d sent while no process held the stream, %d missing, %d twice%n", market.getKey(), first, upTo, deliveredIds.size(), atClose,
          inKafka.size(), (upTo - first + 1) - deliveredIds.size(), missing.size(), twice.size());
      assertThat(missing).as("%s trades delivered to a live process but not in Kafka: %s; the stream's connections: %s", market.getKey(),
          delivered.stream().filter(d -> missing.contains(d.tradeId())).map(d -> d.tradeId() + " to " + d.member() + " at " + d.sent()).toList(),
          trades.activity().all().stream().filter(a -> delivered.stream().anyMatch(d -> d.unit().equals(a.unit())))
              .map(a -> a.member() + " " + a.opened() + ".." + a.closed()).toList()).isEmpty();
      assertThat(twice).as("%s trades in Kafka twice (two processes on one stream)", market.getKey()).isEmpty();
    }
  }

  /** A read-committed consumer sees every block of the substream exactly once, no gap; Vespa has every record. */
  private static void completeSubstream(KafkaProbe probe, VespaEmulator vespa, long blockAtKill) {
    List<ConsumerRecord<byte[], byte[]>> records = probe.readAll(PintxoMetric.TOPIC.name());
    Map<Long, Integer> perBlock = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      PintxoMetric m = PintxoMetric.TOPIC.decode(r.value(), r.partition(), r.offset());
      ids.add(m.id());
      perBlock.merge(Long.parseLong(m.id().split(":")[2].substring("block=".length())), 1, Integer::sum);
    }
    long highest = perBlock.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    List<String> wrong = new ArrayList<>();
    for (long b = 0; b <= highest; b++) {
      int expected = Payloads.empty(b, EMPTY_EVERY) ? 0 : PER_BLOCK;
      int got = perBlock.getOrDefault(b, 0);
      if (got != expected) {
        wrong.add("block " + b + ": " + got + " records, expected " + expected);
      }
    }
    System.out.printf("cluster: substream: blocks 0..%d committed (%d after the kill's cursor), %d records, %d blocks not exactly once%n",
        highest, highest - blockAtKill, records.size(), wrong.size());
    assertThat(wrong).as("substream blocks not exactly once").isEmpty();
    assertThat(highest).as("the substream went on after the kill").isGreaterThan(blockAtKill + BLOCKS_PER_SECOND);
    Await.until("every substream record in Vespa", Duration.ofSeconds(30), () -> vespa.count("metric") >= ids.size(),
        () -> vespa.count("metric") + " metric documents of " + ids.size());
  }

  /** Every record the poller produced is a document in Vespa. */
  private static void completePoller(ApiPayloads payloads, KafkaProbe probe, VespaEmulator vespa) {
    Map<String, String> figures = new TreeMap<>();
    for (String dataType : ENDPOINTS.keySet()) {
      Set<String> keys = probe.readAll(dataType + "-api-topic").stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
          .collect(Collectors.toSet());
      String documentType = DOCUMENT_TYPES.get(dataType);
      assertThat(keys).as("%s records in Kafka", dataType).isNotEmpty();
      Await.until("every " + dataType + " record in Vespa", Duration.ofSeconds(30), () -> vespa.count(documentType) >= keys.size(),
          () -> vespa.count(documentType) + " " + documentType + " documents, " + keys.size() + " keys in Kafka");
      figures.put(dataType, vespa.count(documentType) + "/" + keys.size() + " (" + payloads.size(dataType) + " items)");
    }
    System.out.printf("cluster: poller: Vespa documents/distinct keys in Kafka per data type: %s%n", figures);
  }

  /** @return the last phase begun at {@code at} */
  private static String phaseOf(Map<String, Instant> phases, Instant at) {
    return phases.entrySet().stream().filter(e -> !e.getValue().isAfter(at)).map(Map.Entry::getKey).reduce((a, b) -> b).orElse("?");
  }

  private static Optional<SubstreamsEmulator.SessionStart> resumedAfter(SubstreamsEmulator substreams, Instant at, String not) {
    return substreams.sessionStarts().stream().filter(s -> s.at().isAfter(at) && !s.member().equals(not)).findFirst();
  }

  private static Optional<SubstreamsCursor> cursor(KafkaProbe probe) {
    SubstreamsCursor last = null;
    for (ConsumerRecord<byte[], byte[]> r : probe.readAll(SubstreamsCursor.TOPIC.name())) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(SUBSTREAM)) {
        last = SubstreamsCursor.TOPIC.decode(r.value(), r.partition(), r.offset());
      }
    }
    return Optional.ofNullable(last);
  }

  /**
   * Waits until, over a whole {@link #WINDOW}, the same single member served each of the 15 units and
   * every one of {@code members} served at least one.
   *
   * @return unit → its member
   */
  private Map<String, String> awaitStableOwners(String what, Set<String> members, Duration timeout, Ledger ledger) {
    Object[] last = {null, Instant.now()}; // the last valid assignment and since when it held
    String[] problem = {"nothing served yet"};
    Await.until(what, timeout, () -> {
      checkAlive();
      Instant now = Instant.now();
      Map<String, Set<String>> served = ledger.membersByUnit(now.minus(WINDOW), now);
      String invalid = invalid(served, members);
      if (invalid != null) {
        problem[0] = invalid + "; served in the last " + WINDOW.toMillis() + " ms: " + served;
        last[0] = null;
        return false;
      }
      Map<String, String> owners = new TreeMap<>();
      served.forEach((unit, m) -> owners.put(unit, m.iterator().next()));
      if (!owners.equals(last[0])) {
        last[0] = owners;
        last[1] = now;
        problem[0] = "assignment changed at " + now + ": " + owners;
      }
      return Duration.between((Instant) last[1], now).compareTo(WINDOW) >= 0;
    }, () -> problem[0]);
    @SuppressWarnings("unchecked")
    Map<String, String> owners = (Map<String, String>) last[0];
    return owners;
  }

  /** @return what is wrong with an assignment, or null */
  private static String invalid(Map<String, Set<String>> served, Set<String> members) {
    for (Map.Entry<String, Integer> pipeline : UNITS.entrySet()) {
      long n = served.keySet().stream().filter(u -> u.startsWith(pipeline.getKey() + ":")).count();
      if (n != pipeline.getValue()) {
        return pipeline.getKey() + ": " + n + " units served, expected " + pipeline.getValue();
      }
    }
    List<String> shared = served.entrySet().stream().filter(e -> e.getValue().size() != 1).map(e -> e.getKey() + "=" + e.getValue()).toList();
    if (!shared.isEmpty()) {
      return "units served by more than one member (" + Activity.UNKNOWN + ": a request naming no member): " + shared;
    }
    Set<String> serving = served.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
    if (!serving.equals(members)) {
      return "serving members " + serving + ", expected " + new TreeSet<>(members);
    }
    return null;
  }

  private static String perMember(Map<String, String> owners) {
    Map<String, Integer> n = new TreeMap<>();
    owners.values().forEach(m -> n.merge(m, 1, Integer::sum));
    return n.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  private static String perPipeline(Map<String, String> owners) {
    Map<String, Map<String, Integer>> n = new TreeMap<>();
    owners.forEach((unit, m) -> n.computeIfAbsent(unit.substring(0, unit.indexOf(':')), p -> new TreeMap<>()).merge(m, 1, Integer::sum));
    return n.toString();
  }

  private static Map<String, String> seconds(Map<String, Duration> durations) {
    Map<String, String> out = new TreeMap<>();
    durations.forEach((k, d) -> out.put(k, String.format("%.1fs", d.toMillis() / 1000.0)));
    return out;
  }

  private static JsonObject deployment(String member, EmbeddedKafka kafka, ApiEmulator api, List<HermesFeed> feeds, HermesEmulator hermes,
      TradeStreamEmulator trades, SubstreamsEmulator substreams, Path spkg, VespaEmulator vespa) {
    JsonArray endpoints = new JsonArray();
    ENDPOINTS.forEach((dataType, real) -> endpoints.add(new JsonObject().put("endpoint", api.url(real)).put("dataType", dataType)
        .put("interval", POLL_INTERVAL.toMillis() + "ms")));
    JsonArray pythFeeds = new JsonArray();
    feeds.forEach(f -> pythFeeds.add(new JsonObject().put("id", f.id()).put("symbol", f.symbol())));
    String trade = BinanceTrade.class.getName();
    JsonArray streams = new JsonArray()
        .add(new JsonObject().put("name", "btc").put("transport", "websocket").put("url", trades.webSocketUrl("btc"))
            .put("subscribe", new JsonArray().add(new JsonObject().put("method", "SUBSCRIBE").put("params", new JsonArray().add("btcusdt@trade"))
                .put("id", 1)))
            .put("recordClass", trade).put("requiredField", "/e").put("topic", BTC_TOPIC)
            .put("pingInterval", "2s").put("silenceTimeout", "5s").put("minBackoff", "100ms").put("maxBackoff", "1s"))
        .add(new JsonObject().put("name", "sol").put("transport", "sse").put("url", trades.namedSseUrl("sol", "SOLUSDT"))
            .put("recordClass", trade).put("topic", SOL_TOPIC).put("silenceTimeout", "5s").put("minBackoff", "100ms").put("maxBackoff", "1s"));
    JsonArray topics = new JsonArray();
    ENDPOINTS.keySet().forEach(t -> topics.add(t + "-api-topic"));
    topics.add("pyth-price-topic").add(BTC_TOPIC).add(SOL_TOPIC).add(PintxoMetric.TOPIC.name());
    return new JsonObject()
        .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()).put("topicPartitions", 2))
        .put("admin", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("group", GROUP).put("member", member).put("sessionTimeout", SESSION_TIMEOUT.toSeconds() + "s"))
        .put("verticles", new JsonArray()
            .add(new JsonObject().put("name", "api-poller").put("verticle", "ApiPollerVerticle").put("config", new JsonObject()
                .put("endpoints", endpoints).put("retryBackoff", "500ms").put("requestTimeout", "10s")
                .put("defaultRateLimit", new JsonObject().put("requests", 10_000).put("period", "1m"))))
            .add(new JsonObject().put("name", "pyth").put("verticle", "PythVerticle").put("config", new JsonObject()
                .put("endpoint", hermes.endpoint()).put("feeds", pythFeeds).put("maxFeedsPerStream", FEEDS_PER_STREAM)
                .put("conflationInterval", "500ms").put("requestsPerPeriod", 100).put("silenceTimeout", "5s")
                .put("minBackoff", "100ms").put("maxBackoff", "1s")))
            .add(new JsonObject().put("name", "realtime").put("verticle", "RealtimeSourceVerticle").put("config", new JsonObject()
                .put("streams", streams).put("requestsPerPeriod", 100)))
            .add(new JsonObject().put("name", "substream").put("verticle", "SubstreamsVerticle").put("config", new JsonObject()
                .put("name", SUBSTREAM).put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy").put("outputModule", MODULE)
                .put("endpoint", substreams.endpoint()).put("plaintext", true).put("startBlock", 0).put("stopBlock", 0)
                .put("cacheDir", spkg.getParent().resolve("spkg-cache-" + member).toString()).put("maxBatchBlocks", 20)
                .put("minBackoff", "100ms").put("maxBackoff", "1s")))
            .add(new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle").put("config", new JsonObject()
                .put("groupId", GROUP + "-connector").put("topics", topics).put("commitInterval", "200ms")
                .put("records", new JsonArray()
                    .add(new JsonObject().put("topic", BTC_TOPIC).put("recordClass", trade).put("documentType", "trade"))
                    .add(new JsonObject().put("topic", SOL_TOPIC).put("recordClass", trade).put("documentType", "trade")))
                .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())))));
  }

  private void start(String member, Path deployment, Path log) throws IOException {
    // Small heaps, serial GC and C1 only: three weavers, the broker and the emulators share two cores.
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Weaver.class.getName(), "run", deployment.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.put(member, p);
    logs.put(member + (log.getFileName().toString().contains("restarted") ? " (restarted)" : ""), log);
  }

  /** Fails at once, with its log, when a process that should run has exited. */
  private void checkAlive() {
    processes.forEach((member, p) -> {
      if (!killed.contains(member) && !p.isAlive()) {
        throw new AssertionError(member + " exited with " + p.exitValue() + "; its log ends: " + tail(logs.entrySet().stream()
            .filter(e -> e.getKey().startsWith(member)).reduce((a, b) -> b).orElseThrow().getValue(), 30));
      }
    });
  }

  private void stopAll() throws InterruptedException {
    processes.values().forEach(Process::destroy);
    for (Process p : processes.values()) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Copies the processes' logs where CI keeps them (target/), since the temporary directory goes. */
  private void keepLogs() {
    try {
      Path kept = Files.createDirectories(Path.of("target", "cluster-test-logs"));
      for (Path log : logs.values()) {
        Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.println("cluster: logs kept in " + kept.toAbsolutePath());
    } catch (IOException e) {
      System.out.println("cluster: logs not kept: " + e);
    }
  }

  private void printLogTails() {
    logs.forEach((member, log) -> System.out.printf("---- %s: %s%n%s%n", member, log, tail(log, 40)));
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The four emulators' accounting as one, units prefixed by their pipeline ({@code api:chains}, {@code substreams:metrics_out}). */
  record Ledger(ActivityLog api, ActivityLog pyth, ActivityLog realtime, ActivityLog substreams) {

    static final String SUBSTREAMS = "substreams:";

    Map<String, ActivityLog> byPipeline() {
      return Map.of("api", api, "pyth", pyth, "realtime", realtime, "substreams", substreams);
    }

    Map<String, Set<String>> membersByUnit(Instant from, Instant to) {
      Map<String, Set<String>> out = new TreeMap<>();
      byPipeline().forEach((pipeline, log) -> log.membersByUnit(from, to).forEach((unit, m) -> out.put(pipeline + ":" + unit, m)));
      return out;
    }

    Optional<Activity> firstAfter(String unit, Instant from, String not) {
      int colon = unit.indexOf(':');
      return byPipeline().get(unit.substring(0, colon)).firstAfter(unit.substring(colon + 1), from, not);
    }

    List<ActivityLog.Overlap> overlaps() {
      List<ActivityLog.Overlap> out = new ArrayList<>();
      byPipeline().values().forEach(log -> out.addAll(log.overlaps()));
      return out;
    }

    List<Activity> all() {
      List<Activity> out = new ArrayList<>();
      byPipeline().values().forEach(log -> out.addAll(log.all()));
      return out;
    }
  }
}
