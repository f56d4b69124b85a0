package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules and Grafana dashboards in {@code ops/} only reference metrics a real weaver
 * exposes: a weaver with a poller, Pyth, a substream and the engine connector feeding Vespa runs
 * against the testkit emulators until documents are fed, its {@code /metrics} is scraped, and every
 * metric name in the rules' {@code expr} and the dashboards' {@code targets[].expr} (and templating
 * queries) must be in the scrape. A renamed metric or a typo in ops/ fails here instead of giving a
 * silent "no data" panel or an alert that can never fire.
 *
 * <p>The rules file is read line by line, not with a YAML parser: jackson-dataformat-yaml is not a
 * dependency of the project. The rules are therefore written with one {@code expr:} per line
 * (checked: a block scalar {@code expr: |} is refused), and each {@code - alert:} block is checked
 * for {@code for:}, {@code severity:} and {@code summary:} lines.
 */
class OpsMetricsTest {

  static final Path OPS = locateOps();
  static final Path RULES = OPS.resolve("prometheus/rules/weaver-alerts.yml");
  static final Path DASHBOARDS = OPS.resolve("grafana/dashboards");

  @TempDir
  Path dir;

  @Test
  void rulesAndDashboardsUseOnlyMetricsTheWeaverExposes() throws Exception {
    // The references first: a broken file fails fast, before the weaver runs.
    Map<String, Set<String>> referenced = new TreeMap<>();
    for (String expr : ruleExpressions()) {
      metricNames(expr).forEach(name -> referenced.computeIfAbsent(name, k -> new TreeSet<>()).add("rules"));
    }
    List<Path> dashboards = dashboardFiles();
    assertThat(dashboards.stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("overview.json", "sources.json", "feeder.json", "kafka.json", "jvm.json");
    for (Path dashboard : dashboards) {
      for (String expr : dashboardExpressions(dashboard)) {
        metricNames(expr).forEach(name -> referenced.computeIfAbsent(name, k -> new TreeSet<>()).add(dashboard.getFileName().toString()));
      }
    }
    // Guards the extraction itself: if it returned nothing, the check below would pass vacuously.
    assertThat(referenced).containsKeys("weaver_units", "weaver_feed_circuit_open", "weaver_dead_letters_total", "jvm_memory_used_bytes");

    Set<String> scraped = scrapeARunningWeaver();
    System.out.println("ops: " + scraped.size() + " sample names scraped from a running weaver");
    System.out.println("ops: metrics referenced by ops/ (" + referenced.size() + "): " + referenced);

    Map<String, Set<String>> missing = new TreeMap<>(referenced);
    missing.keySet().removeIf(scraped::contains);
    assertThat(missing).as("metrics referenced in ops/ that the weaver does not expose (name -> files)").isEmpty();
  }

  @Test
  void metricNamesAreExtractedWithoutFunctionsLabelsOrVariables() {
    // The extraction decides what the scrape check sees: functions, grouping labels, label values,
    // ranges and Grafana variables must not count as metrics, and no metric may be lost.
    assertThat(metricNames("histogram_quantile(0.99, sum by (le) (rate(weaver_feed_latency_seconds_bucket{instance=~\"$instance\"}"
        + "[$__rate_interval])))")).containsExactly("weaver_feed_latency_seconds_bucket");
    assertThat(metricNames("sum by (instance) (weaver_units{state=\"running\", pipeline!~\".*connector.*\"}) > 0 and on (instance) "
        + "sum by (instance) (rate(weaver_records_produced_total[30m])) == 0"))
        .containsExactly("weaver_records_produced_total", "weaver_units");
    assertThat(metricNames("max(weaver_feed_circuit_open{instance=~\"${instance}\"}) or vector(0)")).containsExactly("weaver_feed_circuit_open");
    assertThat(sampleNames("# TYPE a counter\na_total{x=\"1\"} 1.0\nb 2\n")).containsExactly("a_total", "b");
  }

  @Test
  void everyAlertHasADurationASeverityAndASummary() throws IOException {
    List<String> lines = Files.readAllLines(RULES);
    List<List<String>> alerts = new ArrayList<>();
    for (String line : lines) {
      if (line.strip().startsWith("- alert:")) {
        alerts.add(new ArrayList<>());
      }
      if (!alerts.isEmpty()) {
        alerts.get(alerts.size() - 1).add(line);
      }
    }
    assertThat(alerts).as("alerts in " + RULES).hasSizeGreaterThanOrEqualTo(11);
    Set<String> names = new TreeSet<>();
    for (List<String> alert : alerts) {
      String name = alert.get(0).strip().substring("- alert:".length()).strip();
      assertThat(names.add(name)).as("alert names are unique: " + name).isTrue();
      assertThat(alert).as(name + ": expr").anyMatch(l -> l.matches("\\s+expr: \\S.*"));
      assertThat(alert).as(name + ": for").anyMatch(l -> l.matches("\\s+for: \\d+[smh]"));
      assertThat(alert).as(name + ": labels.severity").anyMatch(l -> l.matches("\\s+severity: (critical|warning|info)"));
      assertThat(alert).as(name + ": annotations.summary").anyMatch(l -> l.matches("\\s+summary: \\S.*"));
      assertThat(alert).as(name + ": annotations.description").anyMatch(l -> l.matches("\\s+description: \\S.*"));
    }
    // The config names the rules file relative to itself, and scrapes the admin endpoint.
    String config = Files.readString(OPS.resolve("prometheus/prometheus.yml"));
    assertThat(config).contains("rule_files:").contains("rules/weaver-alerts.yml").contains("job_name: weaver")
        .contains("metrics_path: /metrics").contains(":8090");
  }

  @Test
  void dashboardsAreValidGrafanaJson() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> uids = new TreeSet<>();
    for (Path file : dashboardFiles()) {
      JsonNode dashboard = json.readTree(file.toFile()); // throws on invalid JSON
      assertThat(dashboard.path("title").asText()).as(file + ": title").isNotBlank();
      assertThat(uids.add(dashboard.path("uid").asText())).as(file + ": unique uid").isTrue();
      assertThat(dashboard.path("schemaVersion").asInt()).as(file + ": schemaVersion of Grafana 10/11").isGreaterThanOrEqualTo(36);
      List<JsonNode> panels = panels(dashboard);
      assertThat(panels).as(file + ": panels").isNotEmpty();
      Set<Integer> ids = new TreeSet<>();
      for (JsonNode panel : panels) {
        String title = file.getFileName() + "/" + panel.path("title").asText();
        assertThat(ids.add(panel.path("id").asInt())).as(title + ": unique id").isTrue();
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("type").asText()).as(title + ": type").isIn("timeseries", "stat", "table", "gauge", "text");
        assertThat(panel.path("gridPos").path("w").asInt()).as(title + ": gridPos").isPositive();
        assertThat(panel.path("targets").size()).as(title + ": targets").isPositive();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as(title + ": expr").isNotBlank();
        }
      }
    }
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(p -> Path.of(p, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(promtool != null, "promtool is not on PATH: `promtool check rules` skipped (the line checks still ran)");
    Process check = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
  }

  /** Runs poller, Pyth, substream and connector until each fed Vespa; returns the sample names of {@code /metrics}. */
  private Set<String> scrapeARunningWeaver() throws Exception {
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(1, Map.of("chains", 15)), 0));
      List<HermesFeed> feeds = HermesEmulator.generatedFeeds(4);
      HermesEmulator hermes = Await.result(HermesEmulator.start(emulators, feeds, 200, 0));
      SubstreamsEmulator substreams = Await.result(SubstreamsEmulator.start(emulators, new SubstreamsEmulatorOptions()
          .setOutputs(Payloads.seaport(2, 10)).setBlocksPerSecond(20)));
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve("pintxo-seaport.spkg"));
      JsonObject deployment = new JsonObject()
          .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka-data").put("port", 0)))
          .put("admin", new JsonObject().put("port", 0))
          .put("verticles", new JsonArray()
              .add(SourceEntries.chainsPoller(api))
              .add(SourceEntries.pyth(hermes, feeds))
              .add(SourceEntries.seaport(substreams, spkg, dir.resolve("spkg-cache")))
              .add(SourceEntries.connector(vespa, "chains-api-topic", "pyth-price-topic", PintxoMetric.TOPIC.name())));
      Files.writeString(dir.resolve("deployment.json"), deployment.encodePrettily());
      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()));
        // Every source fed Vespa, so their per-source metrics (and the feeder's, with a document type) exist.
        Await.until("chains, prices and substream documents in Vespa", Duration.ofSeconds(90),
            () -> vespa.count("chain") == 15 && vespa.count("price") > 0 && vespa.counts().size() >= 3, vespa::counts);
        String admin = "http://127.0.0.1:" + runtime.admin().port();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // The JVM's GC timers (jvm_gc_pause_seconds) appear at its first collection, which a short run may not have had.
        System.gc();
        Await.until("the JVM's GC metrics after a collection", Duration.ofSeconds(10),
            () -> scrape(http, admin).contains("jvm_gc_pause_seconds_count"), () -> "no jvm_gc_pause_seconds yet");
        return sampleNames(scrape(http, admin));
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  private static String scrape(HttpClient http, String admin) {
    try {
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      return scrape.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sample names in the text exposition; a histogram's {@code _bucket/_count/_sum} and a counter's {@code _total} are all there. */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
      "group_right", "offset", "bool", "inf", "nan");

  /**
   * Metric names in a PromQL expression: what is left after removing strings, label matchers, ranges,
   * grouping clauses and Grafana variables, that is an identifier not followed by {@code (} (a function).
   */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\$\\{?\\w+}?", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
    while (m.find()) {
      if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static List<String> ruleExpressions() throws IOException {
    List<String> exprs = new ArrayList<>();
    for (String line : Files.readAllLines(RULES)) {
      String stripped = line.strip();
      if (stripped.startsWith("expr:")) {
        String expr = stripped.substring("expr:".length()).strip();
        assertThat(expr).as("one-line expr (this test reads the rules line by line): " + line).isNotEmpty().doesNotStartWith("|")
            .doesNotStartWith(">");
        exprs.add(expr);
      }
    }
    assertThat(exprs).as("exprs in " + RULES).isNotEmpty();
    return exprs;
  }

  static List<String> dashboardExpressions(Path file) throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      // label_values(metric, label): the metric must exist for the variable to have values.
      Matcher m = Pattern.compile("label_values\\(([^,]+),").matcher(text);
      if (m.find()) {
        exprs.add(m.group(1));
      }
    }
    return exprs;
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      all.add(panel);
      panel.path("panels").forEach(all::add); // collapsed rows hold their panels
    }
    return all;
  }

  static List<Path> dashboardFiles() throws IOException {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static Path locateOps() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("ops/prometheus"))) {
        return p.resolve("ops");
      }
    }
    throw new IllegalStateException("no ops/prometheus above " + Path.of("").toAbsolutePath());
  }
}
