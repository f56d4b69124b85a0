package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.AdminControlTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (headless Chromium): a weaver polls two endpoints of the API
 * emulator (one pipeline each) and feeds the Vespa emulator, which refuses one document for good (a
 * dead letter); one pipeline is paused; then the page is loaded, with the admin token in its address's
 * fragment, and what it draws is compared with {@code /pipelines} and {@code /metrics} read just
 * before and just after (and with the group's committed lag, asked of Kafka): units' states and owners,
 * the paused pipeline, documents fed by topic, consumer lag, feeder attempts and circuits, dead letters
 * and the latest one's error. Saves
 * {@code target/status-page.png}.
 */
class StatusPageTest {

  private static final String TOKEN = "page-test-token";
  private static final String GROUP = EngineConnectorOptions.DEFAULT_GROUP_ID;

  @TempDir
  Path dir;

  @Test
  void thePageShowsWhatTheAdminApiSaysAndAPausedPipelineAsPaused() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "no Chromium at " + HeadlessChromium.BINARY
        + " (Debian package `chromium`; .ci/run installs it): the status page's browser test is skipped");
    Vertx emulators = Vertx.vertx();
    try {
      ApiEmulator api = Await.result(ApiEmulator.start(emulators, new ApiPayloads(3, Map.of("chains", 12, "protocols", 20)), 0));
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      vespa.faults().reject(id -> id.equals("Ethereum"), 400); // a chain Vespa refuses for good: a dead letter per poll
      Files.writeString(dir.resolve("deployment.json"), deployment(api, vespa).encodePrettily());
      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(Deployment.load(dir.resolve("deployment.json"), Map.of()), Map.of());
        String admin = "http://127.0.0.1:" + runtime.admin().port();
        Await.until("chains and protocols in Vespa", Duration.ofSeconds(60),
            () -> vespa.count("chain") == 11 && vespa.count("protocol") == 20, vespa::counts);

        assertThat(send(admin + "/status.json", "GET", null, null).statusCode()).as("the numbers need the token").isEqualTo(401);
        HttpResponse<String> page = send(admin + "/", "GET", null, null);
        assertThat(page.statusCode()).as("the page itself holds no data: open").isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

        HttpResponse<String> paused = send(admin + "/pipelines/paced/pause", "POST",
            new JsonObject().put("reason", "vendor maintenance").put("by", "page-test"), TOKEN);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
        // Settled: the paused pipeline's units stopped, and what it produced is fed (its topic's numbers stand still).
        Await.until("paced paused, its topic fed and read to its end", Duration.ofSeconds(30), () -> {
          String before = metrics(admin);
          sleep(1200);
          String after = metrics(admin);
          return pipeline(admin, "paced").getJsonArray("owned").stream().allMatch(u -> ((JsonObject) u).getString("state").equals("paused"))
              && sum(before, "weaver_documents_fed_total", "topic", "chains-api-topic") == sum(after, "weaver_documents_fed_total", "topic", "chains-api-topic")
              && new KafkaProbe(runtime.deployment().kafka().getBootstrapServers()).lag(GROUP, List.of("chains-api-topic")) == 0;
        }, () -> pipeline(admin, "paced"));
        Await.until("the latest dead letters read from chains-api-topic.dlq", Duration.ofSeconds(30),
            () -> !new JsonObject(send(admin + "/status.json", "GET", null, TOKEN).body()).getJsonArray("latestDeadLetters").isEmpty(),
            () -> "none yet");

        try (HeadlessChromium chromium = HeadlessChromium.open(dir, admin + "/#token=" + TOKEN)) {
          // Four readings a second apart: the per-minute figures have a few seconds to go on.
          chromium.await("four readings of /status.json", "Number(document.body.dataset.readings || 0) >= 4", Duration.ofSeconds(30));
          JsonArray pipelinesBefore = new JsonArray(send(admin + "/pipelines", "GET", null, TOKEN).body());
          String metricsBefore = metrics(admin);
          String shown = chromium.evaluate("document.body.dataset.time");
          chromium.await("a reading after /pipelines and /metrics were read", "document.body.dataset.time !== '" + shown + "'",
              Duration.ofSeconds(10));
          String dom = chromium.evaluate("document.documentElement.outerHTML");
          String metricsAfter = metrics(admin);
          JsonArray pipelinesAfter = new JsonArray(send(admin + "/pipelines", "GET", null, TOKEN).body());
          Files.createDirectories(Path.of("target"));
          Files.writeString(Path.of("target", "status-page.html"), dom);
          Files.writeString(Path.of("target", "status-page-metrics.txt"), metricsAfter);
          Path png = Path.of("target", "status-page.png");
          chromium.screenshot(png);
          assertThat(Files.size(png)).as("a screenshot with content, " + png.toAbsolutePath()).isGreaterThan(20_000);
          compare(dom, pipelinesBefore, pipelinesAfter, metricsBefore, metricsAfter);
          assertThat(new KafkaProbe(runtime.deployment().kafka().getBootstrapServers()).lag(GROUP, List.of("chains-api-topic")))
              .as("the paused topic's lag, as the page showed it").isZero();
        }
      }
    } finally {
      Await.result(emulators.close());
    }
  }

  /** What the page drew against what the admin API said just before and just after. */
  private static void compare(String dom, JsonArray pipelinesBefore, JsonArray pipelinesAfter, String metricsBefore, String metricsAfter) {
    assertThat(attribute(dom, "<body", "data-state")).as("the page read /status.json with the token from the fragment").isEqualTo("live");
    // Units: the same set, states and owners as /pipelines (stable here: every unit runs, or is paused, before and after).
    Map<String, String> expected = units(pipelinesBefore);
    assertThat(units(pipelinesAfter)).as("units stable while the page was read").isEqualTo(expected);
    assertThat(unitsShown(dom)).as("units on the page: pipeline/unit -> state owner").isEqualTo(expected);
    assertThat(expected).containsKeys("paced/chains", "steady/protocols").hasSize(3);
    assertThat(expected.get("paced/chains")).startsWith("paused ");

    // Events: the paused unit reports none (so the page's rate over its readings, all after the pause, is 0); the running one counts its polls.
    assertThat(events(pipelinesAfter, "paced", "chains")).isEqualTo(events(pipelinesBefore, "paced", "chains"));
    assertThat(events(pipelinesAfter, "steady", "protocols")).isPositive();
    assertThat(value(element(dom, "<tr data-unit=\"paced/chains\"", "</tr>"), "events")).isZero();

    String pacedBody = element(dom, "<tbody data-pipeline=\"paced\"", "</tbody>");
    assertThat(pacedBody).contains("data-paused=\"true\"").contains("paused: vendor maintenance");
    assertThat(element(dom, "<tbody data-pipeline=\"steady\"", "</tbody>")).contains("data-paused=\"false\"").doesNotContain("paused:");

    // Topics: the paused one's numbers stand still, so they are equal; the running one's lie between the two readings.
    String chains = element(dom, "<tr data-topic=\"chains-api-topic\"", "</tr>");
    assertThat(value(chains, "fed")).isEqualTo(sum(metricsBefore, "weaver_documents_fed_total", "topic", "chains-api-topic", "result", "ok"))
        .isGreaterThanOrEqualTo(11); // writes: every poll sends every chain again (changeOnly is off)
    assertThat(value(chains, "rejected")).isEqualTo(sum(metricsBefore, "weaver_documents_fed_total", "topic", "chains-api-topic", "result", "rejected"))
        .isPositive();
    assertThat(value(chains, "lag")).as("the group committed everything of the paused topic").isZero();
    String protocols = element(dom, "<tr data-topic=\"protocols-api-topic\"", "</tr>");
    assertThat(value(protocols, "fed")).isBetween(sum(metricsBefore, "weaver_documents_fed_total", "topic", "protocols-api-topic", "result", "ok"),
        sum(metricsAfter, "weaver_documents_fed_total", "topic", "protocols-api-topic", "result", "ok"));
    assertThat(value(protocols, "produced")).isBetween(sum(metricsBefore, "weaver_records_produced_total", "topic", "protocols-api-topic"),
        sum(metricsAfter, "weaver_records_produced_total", "topic", "protocols-api-topic"));

    // Feeder: one row per instance, circuits as the gauge says; attempts between the two readings of the histogram's count.
    String feeder = element(dom, "<tr data-feeder=", "</tr>");
    assertThat(feeder).contains("closed");
    assertThat(sum(metricsAfter, "weaver_feed_circuit_open")).isZero();
    assertThat(value(dom, "attempts")).isBetween(sum(metricsBefore, "weaver_feed_latency_seconds_count"),
        sum(metricsAfter, "weaver_feed_latency_seconds_count")).isPositive();
    assertThat(value(dom, "p99")).as("p99 of the attempts").isPositive();

    // Dead letters: this process's count by topic and stage, and the latest one's error from the dead-letter topic.
    String letters = element(dom, "<tr data-dead-letters=\"chains-api-topic/feed\"", "</tr>");
    assertThat(value(letters, "count")).isEqualTo(sum(metricsBefore, "weaver_dead_letters_total", "topic", "chains-api-topic", "stage", "feed"))
        .isPositive();
    assertThat(element(dom, "<table id=\"dead-letters\"", "</table>")).contains("chains-api-topic").contains("400");
  }

  private static JsonObject deployment(ApiEmulator api, VespaEmulator vespa) {
    return new JsonObject()
        .put("kafka", new JsonObject().put("embedded", new JsonObject().put("dataDir", "kafka-data").put("port", 0)))
        .put("admin", new JsonObject().put("port", 0).put("token", TOKEN))
        .put("verticles", new JsonArray()
            .add(poller("paced", api, "chains", "api.llama.fi/v2/chains"))
            .add(poller("steady", api, "protocols", "api.llama.fi/protocols"))
            .add(new JsonObject().put("name", "engine-connector").put("verticle", "EngineConnectorVerticle").put("config", new JsonObject()
                .put("topics", new JsonArray().add("chains-api-topic").add("protocols-api-topic")).put("commitInterval", "200ms")
                .put("vespa", new JsonObject().put("endpoint", vespa.endpoint())))));
  }

  private static JsonObject poller(String name, ApiEmulator api, String dataType, String real) {
    return new JsonObject().put("name", name).put("verticle", "ApiPollerVerticle").put("config", new JsonObject().put("changeOnly", false)
        .put("defaultRateLimit", new JsonObject().put("requests", 1_000_000))
        .put("endpoints", new JsonArray().add(new JsonObject().put("endpoint", api.url("https://" + real)).put("dataType", dataType)
            .put("interval", "500ms").put("conditional", false))));
  }

  private static JsonObject pipeline(String admin, String name) {
    return new JsonObject(send(admin + "/pipelines/" + name, "GET", null, TOKEN).body());
  }

  private static String metrics(String admin) {
    return send(admin + "/metrics", "GET", null, null).body();
  }

  /** @return pipeline/unit → "state owner", for every unit this process owns */
  private static Map<String, String> units(JsonArray pipelines) {
    Map<String, String> units = new TreeMap<>();
    for (Object p : pipelines) {
      JsonObject pipeline = (JsonObject) p;
      for (Object u : pipeline.getJsonArray("owned")) {
        JsonObject unit = (JsonObject) u;
        units.put(pipeline.getString("name") + "/" + unit.getString("unit"), unit.getString("state") + " " + unit.getString("owner"));
      }
    }
    return units;
  }

  private static long events(JsonArray pipelines, String pipeline, String unit) {
    for (Object p : pipelines) {
      if (((JsonObject) p).getString("name").equals(pipeline)) {
        for (Object u : ((JsonObject) p).getJsonArray("owned")) {
          if (((JsonObject) u).getString("unit").equals(unit)) {
            return ((JsonObject) u).getLong("events");
          }
        }
      }
    }
    throw new AssertionError("no unit " + pipeline + "/" + unit + " in " + pipelines.encode());
  }

  private static Map<String, String> unitsShown(String dom) {
    Map<String, String> units = new TreeMap<>();
    Matcher m = Pattern.compile("<tr data-unit=\"([^\"]+)\" data-state=\"([^\"]+)\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
    while (m.find()) {
      Matcher owner = Pattern.compile("<td data-field=\"owner\">([^<]*)</td>").matcher(m.group(3));
      units.put(unescape(m.group(1)), m.group(2) + " " + (owner.find() ? unescape(owner.group(1)) : "?"));
    }
    return units;
  }

  /** @return the text from the first {@code start} to the next {@code end}, inclusive */
  private static String element(String dom, String start, String end) {
    int from = dom.indexOf(start);
    assertThat(from).as("the page has " + start).isNotNegative();
    return dom.substring(from, dom.indexOf(end, from) + end.length());
  }

  private static String attribute(String dom, String tagStart, String name) {
    Matcher m = Pattern.compile(Pattern.quote(tagStart) + "[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(dom);
    assertThat(m.find()).as(tagStart + " with " + name).isTrue();
    return m.group(1);
  }

  /** @return the {@code data-value} of the first element with {@code data-field="field"} in the fragment */
  private static double value(String fragment, String field) {
    Double value = optionalValue(fragment, field);
    assertThat(value).as("a data-value of " + field + " in " + fragment).isNotNull();
    return value;
  }

  /** @return the {@code data-value} of the first element with {@code data-field="field"}, null when empty (unknown) */
  private static Double optionalValue(String fragment, String field) {
    Matcher tag = Pattern.compile("<[^>]*\\sdata-field=\"" + field + "\"[^>]*>").matcher(fragment);
    assertThat(tag.find()).as("an element with data-field=" + field + " in " + fragment).isTrue();
    Matcher v = Pattern.compile("data-value=\"([^\"]*)\"").matcher(tag.group());
    assertThat(v.find()).as("a data-value in " + tag.group()).isTrue();
    return v.group(1).isEmpty() ? null : Double.parseDouble(v.group(1));
  }

  private static boolean matches(String line, String... labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
        return false;
      }
    }
    return true;
  }

  /** @return the sum of a metric's samples whose labels include the given name/value pairs */
  static double sum(String exposition, String metric, String... labels) {
    double total = 0;
    for (String line : exposition.split("\n")) {
      if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && matches(line, labels)) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        total += Double.isNaN(value) ? 0 : value;
      }
    }
    return total;
  }

  private static String unescape(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
