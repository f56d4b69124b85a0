package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.poller.ApiPollerVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint, on loopback by default: {@code /health} (the process runs),
 * {@code /ready} (every verticle is deployed), {@code /metrics} (Prometheus text) and
 * {@code POST /admin/poll/<dataType>[?force=true]}, which asks the API poller over the event bus to
 * poll that data type now (202; 404 when no poller has it; {@code force} ignores the validators of
 * the last response and the change-only state, for a full refresh).
 */
public final class AdminServer {

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Supplier<JsonObject> readiness;
  private final Map<String, Handler<HttpServerRequest>> routes = new LinkedHashMap<>();
  private HttpServer server;

  /**
   * @param readiness returns {@code {"ready": bool, ...details}}
   */
  AdminServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<JsonObject> readiness) {
    this.vertx = vertx;
    this.registry = registry;
    this.readiness = readiness;
    routes.put("/health", req -> json(req, 200, new JsonObject().put("status", "UP")));
    routes.put("/ready", req -> {
      JsonObject state = readiness.get();
      json(req, state.getBoolean("ready", false) ? 200 : 503, state);
    });
    routes.put("/metrics", req -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
  }

  /** @return the server, listening */
  Future<AdminServer> listen(String host, int port) {
    // Plain HTTP/1.1, what Prometheus and load balancers' health checks speak.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false));
    server.requestHandler(req -> {
      Handler<HttpServerRequest> route = req.path().startsWith(POLL_PREFIX) ? this::poll : routes.get(req.path());
      if (route == null) {
        json(req, 404, new JsonObject().put("message", "no such path; try " + String.join(", ", routes.keySet())));
      } else {
        route.handle(req);
      }
    });
    return server.listen().map(s -> this);
  }

  private static final String POLL_PREFIX = "/admin/poll/";

  private void poll(HttpServerRequest req) {
    String dataType = req.path().substring(POLL_PREFIX.length());
    if (req.method() != io.vertx.core.http.HttpMethod.POST) {
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

  public int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
