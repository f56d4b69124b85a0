package ai.pintxo.weaver.demo;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.connector.DocumentProcessors;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.launcher.Command;
import ai.pintxo.weaver.launcher.Deployment;
import ai.pintxo.weaver.launcher.DeploymentFiles;
import ai.pintxo.weaver.launcher.Progress;
import ai.pintxo.weaver.launcher.ProgressView;
import ai.pintxo.weaver.launcher.VerticleSpec;
import ai.pintxo.weaver.launcher.WeaverRuntime;
import ai.pintxo.weaver.poller.ApiHandlers;
import ai.pintxo.weaver.poller.ApiPollerOptions;
import ai.pintxo.weaver.poller.EndpointOptions;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.pyth.PythOptions;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import ch.qos.logback.classic.Level;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code weaver demo [--once]}: the whole pipeline offline. The default deployment runs as it is,
 * except that Kafka is a fresh embedded broker, the endpoints are served by the API emulator with
 * generated payloads of the real shapes, Pyth prices stream from the Hermes emulator (serving the
 * configured feed list), and Vespa is the testkit's /document/v1 emulator. Prints
 * progress every second; with {@code --once} exits after one full poll cycle of every endpoint is
 * acknowledged by Vespa and committed and every streamed price has its document, with a summary.
 *
 * <p>It lives in its own module, found by the launcher with {@code ServiceLoader}, so that the
 * production jar holds no emulator.
 */
public final class DemoCommand implements Command {

  /** The key the demo's Hermes emulator requires and its Pyth pipeline sends: offline, no real key is needed. */
  static final String DEMO_PYTH_KEY = "demo-pyth-api-key";

  private final PrintStream out = System.out;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo [--once] [--scale F] [--substreams-blocks N] [--vespa-port P] [--timeout D] [deployment.json]   run the pipeline offline against local emulators";
  }

  @Override
  public int run(List<String> args) throws Exception {
    DemoArgs a = DemoArgs.parse(args);
    quietLogs();
    Deployment deployment = Deployment.load(DeploymentFiles.resolve(a.positional), System.getenv());
    Path kafkaDir = Files.createTempDirectory("weaver-demo-kafka");
    WeaverRuntime runtime = new WeaverRuntime(deployment.tracing(), System.getenv());
    Runnable cleanup = () -> {
      runtime.close();
      deleteTree(kafkaDir);
    };
    try {
      long start = System.nanoTime();
      ApiPayloads payloads = ApiPayloads.scaled(a.seed, a.scale);
      VespaEmulator vespa = VespaEmulator.start(runtime.vertx(), new VespaEmulatorOptions().setPort(a.vespaPort))
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      ApiEmulator api = ApiEmulator.start(runtime.vertx(), payloads, 0).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      HermesEmulator hermes = null;
      List<HermesFeed> hermesFeeds = pythFeeds(deployment);
      if (hermesFeeds != null) {
        // Hermes wants a Pyth API key since Pyth's 2026 upgrade: the emulator does too, and the demo brings its own.
        hermes = HermesEmulator.start(runtime.vertx(), hermesFeeds, 400, 0).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES)
            .requireToken(DEMO_PYTH_KEY);
      }
      // A Substreams source against the gRPC emulator: the seaport package, one metric per block, every tenth block empty.
      SubstreamsEmulator substreams = SubstreamsEmulator.start(runtime.vertx(), new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 10)))
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      Path spkg = TestPackages.write(TestPackages.seaport(), kafkaDir.resolve("pintxo-seaport.spkg"));
      Deployment withSubstreams = deployment.withVerticle("pintxo-seaport", "SubstreamsVerticle", 1, new JsonObject()
          .put("name", "pintxo-seaport").put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy")
          .put("outputModule", "metrics_out").put("interface", "PintxoMetric").put("endpoint", substreams.endpoint())
          .put("plaintext", true).put("startBlock", 0).put("stopBlock", a.substreamsBlocks)
          .put("cacheDir", kafkaDir.resolve("spkg-cache").toString()));
      Deployment demo = pointAtEmulators(withSubstreams, api, hermes, vespa).withEmbedded(kafkaDir, 0).withAdminPort(0);
      Map<String, Integer> expected = expectedDocuments(demo, payloads);
      long metrics = java.util.stream.LongStream.range(0, a.substreamsBlocks).filter(b -> !Payloads.empty(b, 10)).count();
      expected.put("metric", (int) metrics);
      if (hermesFeeds != null) {
        // Prices are keyed by base symbol, as the original did: feeds sharing a base share a document.
        expected.put("price", (int) hermesFeeds.stream().map(HermesFeed::base).distinct().count());
      }
      out.println("Pintxo Data Weaver demo: embedded Kafka and emulators on this machine");
      out.printf("  API %s, Vespa %s%n", "http://127.0.0.1:" + api.port(), vespa.endpoint());
      if (hermes != null) {
        out.printf("  Hermes %s (%d feeds)%n", hermes.endpoint(), hermesFeeds.size());
      }
      out.printf("  Substreams %s (pintxo-seaport, blocks 0–%,d)%n", substreams.endpoint(), a.substreamsBlocks - 1);
      out.printf("Expecting %,d documents of %d types%n", expected.values().stream().mapToInt(Integer::intValue).sum(), expected.size());
      runtime.start(demo);
      triggerCronEndpoints(runtime, demo);
      out.printf("Started in %.1f s, admin http://127.0.0.1:%d. %s%n", seconds(start), runtime.admin().port(),
          a.once ? "Waiting for one full cycle of every endpoint…" : "Ctrl-C to stop.");
      if (!a.once) {
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "weaver-demo-shutdown"));
        Thread reporter = new Thread(() -> report(runtime, vespa, expected, start, Long.MAX_VALUE), "weaver-demo-progress");
        reporter.setDaemon(true);
        reporter.start();
        return -1;
      }
      boolean done = report(runtime, vespa, expected, start, System.nanoTime() + a.timeout.toNanos(),
          () -> cycleComplete(runtime, demo) && (!expected.containsKey("price") || vespa.count("price") >= expected.get("price"))
              && vespa.count("metric") >= expected.get("metric"));
      List<String> summary = summary(runtime, vespa, start, done);
      cleanup.run(); // before the summary is printed: its shutdown lines must not come after it
      out.println();
      summary.forEach(out::println);
      out.flush();
      return done ? 0 : 1;
    } catch (Exception e) {
      cleanup.run();
      throw e;
    }
  }

  /** Endpoints on a cron schedule wait for their time; the demo polls them at once, as an operator would, through the admin endpoint. */
  private void triggerCronEndpoints(WeaverRuntime runtime, Deployment demo) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    for (VerticleSpec spec : demo.verticles()) {
      if (!spec.provider().type().equals("ApiPollerVerticle")) {
        continue;
      }
      for (EndpointOptions e : new ApiPollerOptions(spec.config()).getEndpoints()) {
        if (e.getCron().isPresent()) {
          java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + runtime.admin().port() + "/admin/poll/" + e.getDataType()))
              .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
          out.printf("%s is on a cron schedule: polled now with POST /admin/poll/%s → %d%n", e.getDataType(), e.getDataType(),
              response.statusCode());
        }
      }
    }
  }

  private boolean report(WeaverRuntime runtime, VespaEmulator vespa, Map<String, Integer> expected, long start, long deadline) {
    return report(runtime, vespa, expected, start, deadline, () -> false);
  }

  /** Shows progress every second until {@code finished} holds or the deadline passes. */
  private boolean report(WeaverRuntime runtime, VespaEmulator vespa, Map<String, Integer> expected, long start, long deadline,
                         java.util.function.BooleanSupplier finished) {
    DemoProgress view = new DemoProgress(new ProgressView(out, ProgressView.stdoutIsTerminal()));
    long lastFed = 0;
    long lastAt = System.nanoTime();
    try {
      while (System.nanoTime() < deadline) {
        sleep(1000);
        Progress p = Progress.read(runtime.registry());
        long now = System.nanoTime();
        long rate = Math.round((p.fed() - lastFed) / ((now - lastAt) / 1e9));
        lastFed = p.fed();
        lastAt = now;
        view.show(seconds(start), p.fed(), rate, vespa.counts(), expected, p.deadLetters(), p.retries());
        if (finished.getAsBoolean()) {
          return true;
        }
      }
      return false;
    } finally {
      view.done();
    }
  }

  /**
   * One cycle is complete when every endpoint was polled once and the connector committed everything
   * produced from the polls (streamed topics never stand still, so they are not waited for).
   */
  private static boolean cycleComplete(WeaverRuntime runtime, Deployment demo) {
    Set<String> dataTypes = new TreeSet<>();
    Set<String> polledTopics = new TreeSet<>();
    Set<String> topics = new TreeSet<>();
    String group = null;
    for (VerticleSpec spec : demo.verticles()) {
      if (spec.provider().type().equals("ApiPollerVerticle")) {
        new ApiPollerOptions(spec.config()).getEndpoints().forEach(e -> {
          dataTypes.add(e.getDataType());
          ApiHandlers.installed().forDataType(e.getDataType()).ifPresent(h -> polledTopics.add(h.topic().name()));
        });
      } else if (spec.provider().type().equals("EngineConnectorVerticle")) {
        EngineConnectorOptions options = new EngineConnectorOptions(spec.config());
        topics.addAll(options.getTopics());
        group = options.getGroupId();
      }
    }
    topics.retainAll(polledTopics);
    for (String dataType : dataTypes) {
      if (runtime.registry().find("weaver.poll.cycles").tag("data_type", dataType).counters().stream().mapToDouble(c -> c.count()).sum() < 1) {
        return false;
      }
    }
    return group == null || new KafkaProbe(runtime.deployment().kafka().getBootstrapServers()).lag(group, topics) == 0;
  }

  /** @return the summary's lines, gathered while the pipeline still runs and printed after it stopped */
  private List<String> summary(WeaverRuntime runtime, VespaEmulator vespa, long start, boolean done) {
    Progress p = Progress.read(runtime.registry());
    KafkaProbe probe = new KafkaProbe(runtime.deployment().kafka().getBootstrapServers());
    Map<String, Long> deadLetters = new TreeMap<>();
    for (String topic : DocumentProcessors.installed().topics()) {
      long n = probe.count(topic + ".dlq");
      if (n > 0) {
        deadLetters.put(topic + ".dlq", n);
      }
    }
    Map<String, Integer> counts = vespa.counts();
    long documents = counts.values().stream().mapToLong(Integer::longValue).sum();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(done ? "Demo complete in %.1f s: %,d documents in Vespa." : "Demo stopped after %.1f s without completing a cycle: %,d documents in Vespa.",
        seconds(start), documents));
    lines.add(String.format("  %-16s %10s", "document type", "documents"));
    counts.forEach((type, n) -> lines.add(String.format("  %-16s %,10d", type, n)));
    lines.add(String.format("  records polled %,d, produced %,d; Vespa writes %,d, rejected %,d, retried %,d", p.polled(), p.produced(),
        p.fed(), p.rejected(), p.retries()));
    if (p.fed() > documents) {
      // Streamed records update the same documents: each price update and each block's metrics rewrite one document.
      lines.add(String.format("  %,d writes more than documents: updates of documents already written", p.fed() - documents));
      lines.add("    (a feed's newer price, a record polled again) rewrite one document each");
    }
    lines.add("  dead letters: " + (deadLetters.isEmpty() ? "none" : deadLetters.toString()));
    Map<String, Long> rejectedFeeds = new TreeMap<>();
    runtime.registry().find("weaver.pyth.feeds.rejected").counters()
        .forEach(c -> rejectedFeeds.merge(c.getId().getTag("reason"), Math.round(c.count()), Long::sum));
    if (!rejectedFeeds.isEmpty()) {
      lines.add("  Pyth feeds left out (ids in the pyth.feed_rejected lines above): " + rejectedFeeds);
    }
    lines.add("  Vespa emulator responses by status: " + vespa.responsesByStatus());
    return lines;
  }

  /** @return the feeds of the deployment's Pyth verticle, for the Hermes emulator to serve; null without one */
  private static List<HermesFeed> pythFeeds(Deployment deployment) throws IOException {
    for (VerticleSpec spec : deployment.verticles()) {
      if (spec.provider().type().equals("PythVerticle")) {
        PythOptions options = new PythOptions(spec.config());
        List<HermesFeed> feeds = new ArrayList<>();
        if (options.getFeedsFile() != null) {
          feeds.addAll(HermesEmulator.feedsOf(Files.readAllBytes(Path.of(options.getFeedsFile()))));
        }
        JsonArray inline = new JsonArray();
        options.getFeeds().forEach((id, symbol) -> inline.add(new JsonObject().put("id", id).put("symbol", symbol)));
        feeds.addAll(HermesEmulator.feedsOf(inline.toBuffer().getBytes()));
        return feeds;
      }
    }
    return null;
  }

  private static Deployment pointAtEmulators(Deployment deployment, ApiEmulator api, HermesEmulator hermes, VespaEmulator vespa) {
    return deployment.withVerticleConfigs((spec, config) -> {
      if (spec.provider().type().equals("PythVerticle") && hermes != null) {
        config.remove("endpoints");
        return config.put("endpoint", hermes.endpoint()).put("accessToken", DEMO_PYTH_KEY).put("accessTokenMode", "header");
      }
      if (spec.provider().type().equals("ApiPollerVerticle")) {
        ApiPollerOptions options = new ApiPollerOptions(config).withEndpointsFile();
        List<EndpointOptions> local = new ArrayList<>();
        for (EndpointOptions e : options.getEndpoints()) {
          local.add(new EndpointOptions(e).setEndpoint(api.url(e.getEndpoint())));
        }
        return options.setEndpoints(local).toJson();
      }
      if (spec.provider().type().equals("EngineConnectorVerticle")) {
        config.getJsonObject("vespa").put("endpoint", vespa.endpoint());
        if (!config.getJsonArray("topics").contains(PintxoMetric.TOPIC.name())) {
          config.getJsonArray("topics").add(PintxoMetric.TOPIC.name());
        }
      }
      return config;
    });
  }

  /** Vespa document type → documents one cycle produces, from the payload sizes. */
  private static Map<String, Integer> expectedDocuments(Deployment demo, ApiPayloads payloads) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (VerticleSpec spec : demo.verticles()) {
      if (spec.provider().type().equals("ApiPollerVerticle")) {
        for (EndpointOptions e : new ApiPollerOptions(spec.config()).getEndpoints()) {
          String topic = ApiHandlers.installed().forDataType(e.getDataType()).orElseThrow().topic().name();
          DocumentProcessors.installed().forTopic(topic).ifPresent(p ->
              expected.merge(p.documentType(), payloads.size(e.getDataType()), Integer::sum));
        }
      }
    }
    return expected;
  }

  private static void quietLogs() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context
        && System.getenv("WEAVER_LOG_LEVEL") == null) {
      context.getLogger("ai.pintxo").setLevel(Level.WARN);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans it eventually
    }
  }

  /** The demo's options. */
  private record DemoArgs(boolean once, double scale, long seed, int vespaPort, Duration timeout, long substreamsBlocks,
                          List<String> positional) {

    static DemoArgs parse(List<String> args) {
      boolean once = false;
      double scale = 1.0;
      long seed = 42;
      int vespaPort = 0;
      Duration timeout = Duration.ofMinutes(10);
      long substreamsBlocks = 20_000;
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        switch (arg) {
          case "--once" -> once = true;
          case "--scale" -> scale = Double.parseDouble(value(args, ++i, arg));
          case "--seed" -> seed = Long.parseLong(value(args, ++i, arg));
          case "--vespa-port" -> vespaPort = Integer.parseInt(value(args, ++i, arg));
          case "--timeout" -> timeout = ai.pintxo.weaver.config.Durations.parse(value(args, ++i, arg));
          case "--substreams-blocks" -> substreamsBlocks = Long.parseLong(value(args, ++i, arg));
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            positional.add(arg);
          }
        }
      }
      if (scale <= 0) {
        throw new IllegalArgumentException("--scale must be positive, was " + scale);
      }
      if (substreamsBlocks < 1) {
        throw new IllegalArgumentException("--substreams-blocks must be at least 1, was " + substreamsBlocks);
      }
      return new DemoArgs(once, scale, seed, vespaPort, timeout, substreamsBlocks, positional);
    }

    private static String value(List<String> args, int i, String option) {
      if (i >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args.get(i);
    }
  }
}
