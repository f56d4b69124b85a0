package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorProvider;
import ai.pintxo.weaver.launcher.StatusReport.DeadLetterCount;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live status page: {@code /} (HTML), {@code /status.js} and {@code /status.css}, static files
 * from the classpath (no build step, nothing from elsewhere), and {@code /status.json}, the numbers
 * they draw every second ({@link StatusReport}). The static files hold no data and are open; the
 * JSON shows what {@code /pipelines} shows and is guarded like it (the page asks for the token).
 */
final class StatusPage {

  static final String JSON_PATH = "/status.json";
  /** Scripts and styles from this endpoint only: the page works offline and runs nothing injected. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

  private final WeaverRuntime runtime;
  private final StatusMeters meters;
  private final RecentDeadLetters deadLetters;
  private final ConsumerLag lag;
  private final Map<String, Handler<HttpServerRequest>> routes = new LinkedHashMap<>();

  StatusPage(WeaverRuntime runtime, MeterRegistry registry, RecentDeadLetters deadLetters, ConsumerLag lag) {
    this.runtime = runtime;
    this.meters = new StatusMeters(registry);
    this.deadLetters = deadLetters;
    this.lag = lag;
    routes.put("/", file("index.html", "text/html; charset=utf-8"));
    routes.put("/status.js", file("status.js", "text/javascript; charset=utf-8"));
    routes.put("/status.css", file("status.css", "text/css; charset=utf-8"));
    routes.put(JSON_PATH, req -> {
      if (get(req)) {
        req.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(report().toJson().toBuffer());
      }
    });
  }

  /** @return the page's routes, by path */
  Map<String, Handler<HttpServerRequest>> routes() {
    return routes;
  }

  /** @return the numbers now */
  StatusReport report() {
    List<DeadLetterCount> counts = meters.deadLetters();
    JsonObject readiness = runtime.readiness();
    return new StatusReport(Instant.now(), readiness.getBoolean("ready", false),
        readiness.getJsonArray("problems").stream().map(String::valueOf).toList(),
        runtime.pipelines().stream().map(name -> PipelineView.of(runtime, name)).toList(), meters.feeders(), meters.feed(),
        meters.topics(lag.latest()), counts, deadLetters.latest(counts.stream().mapToLong(DeadLetterCount::count).sum()));
  }

  /** @return the engine connectors' consumer groups and their topics, as deployed now */
  static Map<String, List<String>> connectorGroups(WeaverRuntime runtime) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String name : runtime.pipelines()) {
      VerticleSpec spec = runtime.spec(name);
      if (spec != null && spec.provider() instanceof EngineConnectorProvider && runtime.deployed(name)) {
        EngineConnectorOptions options = new EngineConnectorOptions(spec.config());
        groups.merge(options.getGroupId(), options.getTopics(),
            (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().toList());
      }
    }
    return groups;
  }

  /** Read once: the files are a few kilobytes and cannot change while the process runs. */
  private static Handler<HttpServerRequest> file(String name, String contentType) {
    Buffer content;
    try (InputStream in = StatusPage.class.getResourceAsStream("/status/" + name)) {
      if (in == null) {
        throw new IllegalStateException("status page resource /status/" + name + " is not on the classpath");
      }
      content = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return req -> {
      if (get(req)) {
        req.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-cache")
            .putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff").end(content);
      }
    };
  }

  private static boolean get(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
      return true;
    }
    req.response().setStatusCode(405).putHeader("Allow", "GET").end();
    return false;
  }
}
