package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.poller.ApiPollerVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's HTTP endpoint, on loopback by default.
 *
 * <ul>
 *   <li>{@code /health}: 200 while the process runs, {@code status} UP or DEGRADED with the units'
 *       states by pipeline and the problems (a stopped unit is no reason to restart the process);
 *   <li>{@code /ready}: 200 when every pipeline is deployed and nothing keeps one from delivering, else 503 with the problems;
 *   <li>{@code /metrics}: Prometheus text;
 *   <li>{@code POST /admin/poll/<dataType>[?force=true]}: asks the API poller over the event bus to poll that data type now
 *       (202; 404 when no poller has it; {@code force} ignores the validators of the last response and the change-only state);
 *   <li>{@code /pipelines}, in the manner of Kafka Connect's REST API: {@code GET /pipelines}, {@code GET /pipelines/<name>},
 *       {@code POST /pipelines/<name>/pause|resume} (every process of the group, kept across restarts),
 *       {@code POST /pipelines/<name>/restart}, {@code GET|PUT /pipelines/<name>/config};
 *   <li>{@code /}: the live status page ({@link StatusPage}), drawn from {@code /status.json}.
 * </ul>
 *
 * With {@code admin.token} set, {@code /pipelines}, {@code /status.json} and {@code /admin/*} require
 * {@code Authorization: Bearer <token>}; the probes, the scrape and the page's static files stay open.
 */
public final class AdminServer {

  private static final String POLL_PREFIX = "/admin/poll/";
  private static final String PIPELINES = "/pipelines";
  /** A verticle's config is a few kilobytes; a larger body is a mistake, not a config. */
  private static final int MAX_BODY_BYTES = 1 << 20;

  static final String HEALTH = "/health";
  static final String READY = "/ready";
  static final String METRICS = "/metrics";
  /** Answered without a token (liveness, readiness, the scrape): the Kubernetes manifests' test checks its probes against them. */
  static final java.util.Set<String> PROBE_PATHS = java.util.Set.of(HEALTH, READY, METRICS);

  private final Vertx vertx;
  private final WeaverRuntime runtime;
  private final byte[] token;
  private final Map<String, Handler<HttpServerRequest>> routes = new LinkedHashMap<>();
  private HttpServer server;
  private final ConsumerLag lag;

  /**
   * @param token the bearer token {@code /pipelines} and {@code /admin/*} require, or null for none
   */
  AdminServer(Vertx vertx, PrometheusMeterRegistry registry, WeaverRuntime runtime, String token) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.token = token == null || token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    routes.put(HEALTH, req -> json(req, 200, runtime.health()));
    routes.put(READY, req -> {
      JsonObject state = runtime.readiness();
      json(req, state.getBoolean("ready", false) ? 200 : 503, state);
    });
    routes.put(METRICS, req -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    lag = new ConsumerLag(vertx, runtime.deployment().kafka(), () -> StatusPage.connectorGroups(runtime), System::nanoTime);
    routes.putAll(new StatusPage(runtime, registry, new RecentDeadLetters(vertx, runtime.deployment().kafka(), System::nanoTime), lag).routes());
  }

  /** @return the server, listening */
  Future<AdminServer> listen(String host, int port) {
    // Plain HTTP/1.1, what Prometheus and load balancers' health checks speak.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false));
    server.requestHandler(req -> {
      String path = req.path();
      boolean control = path.startsWith("/admin/") || path.equals(PIPELINES) || path.startsWith(PIPELINES + "/")
          || path.equals(StatusPage.JSON_PATH);
      if (control && !authorized(req)) {
        req.response().putHeader("WWW-Authenticate", "Bearer");
        json(req, 401, new JsonObject().put("message", "this path requires Authorization: Bearer <admin.token>"));
        return;
      }
      Handler<HttpServerRequest> route = path.startsWith(POLL_PREFIX) ? this::poll
          : path.equals(PIPELINES) || path.startsWith(PIPELINES + "/") ? this::pipelines : routes.get(path);
      if (route == null) {
        json(req, 404, new JsonObject().put("message", "no such path; try " + String.join(", ", routes.keySet()) + ", " + PIPELINES));
      } else {
        route.handle(req);
      }
    });
    return server.listen().map(s -> this);
  }

  private boolean authorized(HttpServerRequest req) {
    if (token == null) {
      return true;
    }
    String header = req.getHeader("Authorization");
    // Constant time: the comparison must not tell how much of a guess was right.
    return header != null && MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8));
  }

  private void poll(HttpServerRequest req) {
    String dataType = req.path().substring(POLL_PREFIX.length());
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("Allow", "POST");
      json(req, 405, new JsonObject().put("message", "use POST to trigger a poll"));
      return;
    }
    if (!dataType.matches("[A-Za-z0-9_.-]+")) {
      json(req, 404, new JsonObject().put("message", "no such data type"));
      return;
    }
    boolean force = "true".equals(req.getParam("force"));
    vertx.eventBus().<JsonObject>request(ApiPollerVerticle.TRIGGER_ADDRESS + dataType, new JsonObject().put("force", force))
        .onSuccess(reply -> json(req, 202, reply.body().put("status", "triggered")))
        .onFailure(err -> {
          if (err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
            json(req, 404, new JsonObject().put("message", "no poller has data type '" + dataType + "'"));
          } else {
            json(req, 503, new JsonObject().put("message", "poller did not answer: " + err.getMessage()));
          }
        });
  }

  /** {@code /pipelines[/<name>[/<action>]]}. */
  private void pipelines(HttpServerRequest req) {
    String[] parts = req.path().substring(PIPELINES.length()).split("/", -1);
    // parts[0] is "" (the path starts with /pipelines); then the name and the action
    if (parts.length == 1 || (parts.length == 2 && parts[1].isEmpty())) {
      if (!allow(req, HttpMethod.GET)) {
        return;
      }
      JsonArray list = new JsonArray();
      runtime.pipelines().forEach(name -> list.add(view(name)));
      json(req, 200, list);
      return;
    }
    String name = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    if (parts.length > 3 || runtime.spec(name) == null) {
      json(req, 404, new JsonObject().put("message", parts.length > 3 ? "no such path" : "no pipeline named '" + name + "'"));
      return;
    }
    String action = parts.length == 3 ? parts[2] : "";
    switch (action) {
      case "" -> {
        if (allow(req, HttpMethod.GET)) {
          json(req, 200, view(name));
        }
      }
      case "pause", "resume" -> {
        if (allow(req, HttpMethod.POST)) {
          pauseOrResume(req, name, action.equals("pause"));
        }
      }
      case "restart" -> {
        if (allow(req, HttpMethod.POST)) {
          runtime.restart(name).onComplete(ar -> {
            if (ar.succeeded()) {
              json(req, 200, view(name).put("restarted", true));
            } else {
              json(req, 500, new JsonObject().put("message", "restart failed: " + ar.cause().getMessage()));
            }
          });
        }
      }
      case "config" -> config(req, name);
      default -> json(req, 404, new JsonObject().put("message", "no such action '" + action + "'; try pause, resume, restart, config"));
    }
  }

  private void pauseOrResume(HttpServerRequest req, String name, boolean pause) {
    body(req).onComplete(ar -> {
      if (ar.failed()) {
        json(req, 400, new JsonObject().put("message", "the body, when given, is a JSON object {\"reason\": …, \"by\": …}: "
            + ar.cause().getMessage()));
        return;
      }
      JsonObject body = ar.result() == null ? new JsonObject() : ar.result();
      String by = body.getValue("by") instanceof String s && !s.isBlank() ? s : "admin@" + req.remoteAddress().hostAddress();
      String reason = body.getValue("reason") instanceof String s && !s.isBlank() ? s : null;
      runtime.setPaused(name, pause, reason, by).onComplete(done -> {
        if (done.succeeded()) {
          json(req, 202, done.result().toJson());
        } else {
          json(req, 503, new JsonObject().put("message", "the control topic did not take the change: " + done.cause().getMessage()));
        }
      });
    });
  }

  private void config(HttpServerRequest req, String name) {
    if (req.method() == HttpMethod.GET) {
      json(req, 200, Secrets.mask(runtime.spec(name).config()));
      return;
    }
    if (!allow(req, HttpMethod.PUT)) {
      return;
    }
    String key = "verticles[" + name + "].config";
    body(req).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        String why = ar.failed() ? ar.cause().getMessage() : "no body: send the verticle's config, a JSON object";
        json(req, 400, errors(key, why));
        return;
      }
      runtime.reconfigure(name, ar.result()).onComplete(done -> {
        if (done.succeeded()) {
          json(req, 200, view(name).put("config", Secrets.mask(runtime.spec(name).config())));
        } else if (done.cause() instanceof ConfigException e) {
          json(req, 400, errors(e.key(), e.reason()));
        } else if (done.cause() instanceof WeaverRuntime.ReplaceFailed e) {
          json(req, e.restored ? 409 : 500, new JsonObject().put("message", e.getMessage()).put("restored", e.restored));
        } else {
          json(req, 500, new JsonObject().put("message", String.valueOf(done.cause().getMessage())));
        }
      });
    });
  }

  private static JsonObject errors(String key, String message) {
    return new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("key", key).put("message", message)));
  }

  /** @return the body as a JSON object (null when there is none), or fails saying why it is not one */
  private static Future<JsonObject> body(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    if (length != null && length.matches("\\d+") && Long.parseLong(length) > MAX_BODY_BYTES) {
      return Future.failedFuture("the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    return req.body().compose(buffer -> {
      if (buffer.length() > MAX_BODY_BYTES) {
        return Future.failedFuture("the body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      if (buffer.toString(StandardCharsets.UTF_8).isBlank()) {
        return Future.succeededFuture(null);
      }
      try {
        return Future.succeededFuture(new JsonObject(buffer));
      } catch (RuntimeException e) {
        return Future.failedFuture("not a JSON object: " + e.getMessage());
      }
    });
  }

  /** @return one pipeline as {@code /pipelines} shows it */
  private JsonObject view(String name) {
    return PipelineView.of(runtime, name).toJson();
  }

  private static boolean allow(HttpServerRequest req, HttpMethod method) {
    if (req.method() == method) {
      return true;
    }
    req.response().putHeader("Allow", method.name());
    json(req, 405, new JsonObject().put("message", "use " + method.name()));
    return false;
  }

  public int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(lag::close);
  }

  private static void json(HttpServerRequest req, int status, Object body) {
    Buffer encoded = body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer();
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
  }
}
