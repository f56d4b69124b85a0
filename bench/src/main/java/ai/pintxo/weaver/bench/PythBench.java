package ai.pintxo.weaver.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Pyth end to end, laid out as a deployment: the Kafka broker in one JVM ({@link PythBroker}), the
 * Hermes and Vespa emulators in another ({@link PythEmulators}, which times each update from the
 * Hermes emulator writing it to the Vespa emulator accepting its document, on one clock), and the
 * weaver ({@link PythWeaver}: PythVerticle, no conflation → Kafka → engine connector) in a third.
 * After a warm-up, it measures {@code --rounds} windows of {@code --seconds} each and reports every
 * round, the median of each figure over the rounds and its spread (min–max), and each JVM's CPU.
 *
 * <p>{@code bin/bench-pyth [--feeds 300] [--interval-ms 400] [--warmup 45] [--seconds 20] [--rounds 3]
 * [--profile latency|throughput]}; {@code --feeds 1 --interval-ms 1000} gives the single-feed floor.
 */
public final class PythBench {

  /** The command line. */
  record Args(int feeds, long intervalMillis, int warmupSeconds, int seconds, int rounds, String profile) {
    static Args parse(String[] args) {
      int feeds = 300;
      long interval = 400;
      // 45 s: in the first ~30 s all three JVMs (broker and emulators too) are still compiling (BENCHMARKS.md)
      int warmup = 45;
      int seconds = 20;
      int rounds = 3;
      String profile = "latency";
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--feeds" -> feeds = Integer.parseInt(args[++i]);
          case "--interval-ms" -> interval = Long.parseLong(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--seconds" -> seconds = Integer.parseInt(args[++i]);
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--profile" -> profile = args[++i];
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (use --feeds N --interval-ms MS --warmup S --seconds S --rounds N --profile latency|throughput)");
        }
      }
      if (!profile.equals("latency") && !profile.equals("throughput")) {
        throw new IllegalArgumentException("--profile must be latency or throughput, was " + profile);
      }
      return new Args(feeds, interval, warmup, seconds, rounds, profile);
    }
  }

  public static void main(String[] args) throws Exception {
    JsonObject report = new PythBench().run(Args.parse(args));
    System.out.println("RESULT " + report.encode());
    System.exit(0);
  }

  /** @return every round, the medians and spreads, each JVM's CPU */
  JsonObject run(Args args) throws Exception {
    Path log = Files.createTempFile("weaver-bench-pyth", ".log");
    System.out.printf("pyth bench: %d feeds × one update per %d ms = %.0f updates/s, no conflation, profile %s; "
            + "broker, emulators and weaver in 3 JVMs; warm-up %d s, %d rounds of %d s (child JVM logs: %s)%n",
        args.feeds(), args.intervalMillis(), args.feeds() * 1000.0 / args.intervalMillis(), args.profile(), args.warmupSeconds(),
        args.rounds(), args.seconds(), log);
    try (ChildJvm broker = ChildJvm.start("512m", PythBroker.class.getName(), List.of(), Map.of(), log)) {
      String bootstrap = broker.await(l -> l.startsWith("BROKER "), 120).substring(7).trim();
      try (ChildJvm emulators = ChildJvm.start("1g", PythEmulators.class.getName(),
          List.of(bootstrap, Integer.toString(args.feeds()), Long.toString(args.intervalMillis())), Map.of(), log)) {
        String[] endpoints = emulators.await(l -> l.startsWith("EMULATORS "), 120).split(" ");
        try (ChildJvm weaver = ChildJvm.start("1g", PythWeaver.class.getName(),
            List.of(bootstrap, endpoints[1], endpoints[2], Integer.toString(args.feeds()), args.profile()), Map.of(), log)) {
          weaver.await(l -> l.startsWith("WEAVER started"), 120);
          Thread.sleep(args.warmupSeconds() * 1000L);
          JsonArray rounds = new JsonArray();
          for (int r = 0; r < args.rounds(); r++) {
            double[] cpu0 = {broker.cpuSeconds(), emulators.cpuSeconds(), weaver.cpuSeconds()};
            emulators.send("measure " + args.seconds());
            JsonObject round = new JsonObject(emulators.await(l -> l.startsWith("ROUND "), args.seconds() + 60L).substring(6));
            double wall = round.getDouble("wallSeconds");
            round.put("cpuCores", new JsonObject()
                .put("broker", cores(broker.cpuSeconds() - cpu0[0], wall))
                .put("emulators", cores(emulators.cpuSeconds() - cpu0[1], wall))
                .put("weaver", cores(weaver.cpuSeconds() - cpu0[2], wall)));
            long updates = round.getLong("updates");
            round.put("weaverCpuMicrosPerUpdate", updates == 0 ? 0 : Math.round((weaver.cpuSeconds() - cpu0[2]) * 1e6 / updates * 10) / 10.0);
            System.out.printf("round %d: updates %,d (%,d/s) | publish → Vespa p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms"
                    + " | publish → Kafka p50 %.2f ms, p99 %.2f ms | CPU cores: weaver %.2f, broker %.2f, emulators %.2f%n",
                r + 1, updates, round.getLong("updatesPerSecond"), round.getDouble("p50Ms"), round.getDouble("p90Ms"),
                round.getDouble("p99Ms"), round.getDouble("maxMs"), round.getDouble("toKafkaP50Ms"), round.getDouble("toKafkaP99Ms"),
                round.getJsonObject("cpuCores").getDouble("weaver"), round.getJsonObject("cpuCores").getDouble("broker"),
                round.getJsonObject("cpuCores").getDouble("emulators"));
            rounds.add(round);
          }
          JsonObject summary = new JsonObject();
          for (String figure : List.of("p50Ms", "p90Ms", "p99Ms", "maxMs", "toKafkaP50Ms", "toKafkaP99Ms", "updatesPerSecond",
              "weaverCpuMicrosPerUpdate")) {
            summary.put(figure, spread(rounds, r -> r.getDouble(figure)));
          }
          for (String jvm : List.of("weaver", "broker", "emulators")) {
            summary.put("cpuCores." + jvm, spread(rounds, r -> r.getJsonObject("cpuCores").getDouble(jvm)));
          }
          System.out.println("medians over rounds (min–max): publish → Vespa p50 " + text(summary, "p50Ms") + " ms, p99 "
              + text(summary, "p99Ms") + " ms; publish → Kafka p50 " + text(summary, "toKafkaP50Ms") + " ms, p99 "
              + text(summary, "toKafkaP99Ms") + " ms; weaver CPU " + text(summary, "cpuCores.weaver") + " cores, "
              + text(summary, "weaverCpuMicrosPerUpdate") + " µs per update");
          long measured = 0;
          for (int i = 0; i < rounds.size(); i++) {
            measured += rounds.getJsonObject(i).getLong("updates");
          }
          return new JsonObject().put("feeds", args.feeds()).put("intervalMs", args.intervalMillis()).put("profile", args.profile())
              .put("updatesMeasured", measured).put("rounds", rounds).put("summary", summary);
        }
      }
    }
  }

  private static double cores(double cpuSeconds, double wallSeconds) {
    return Math.round(cpuSeconds / wallSeconds * 1000) / 1000.0;
  }

  /** @return {median, min, max} of a figure over the rounds */
  private static JsonObject spread(JsonArray rounds, java.util.function.ToDoubleFunction<JsonObject> figure) {
    double[] values = new double[rounds.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = figure.applyAsDouble(rounds.getJsonObject(i));
    }
    Arrays.sort(values);
    double median = values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    return new JsonObject().put("median", median).put("min", values[0]).put("max", values[values.length - 1]);
  }

  private static String text(JsonObject summary, String figure) {
    JsonObject s = summary.getJsonObject(figure);
    return String.format("%.2f (%.2f–%.2f)", s.getDouble("median"), s.getDouble("min"), s.getDouble("max"));
  }
}
