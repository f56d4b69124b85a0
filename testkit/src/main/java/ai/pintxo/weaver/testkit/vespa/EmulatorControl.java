package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The emulator's own HTTP surface next to /document/v1, for benchmarks, load tests and an emulator
 * running in another process: {@code GET /emulator/stats}, {@code POST /emulator/reset} and
 * {@code POST /emulator/faults} with {@code {"errorRate":0.1,"statuses":[429,503],"latencyMinMs":0,
 * "latencyMaxMs":500,"outageMs":5000,"maxInflight":256,"clear":true}}.
 */
final class EmulatorControl implements Handler<HttpServerRequest> {

  static final String PREFIX = "/emulator/";

  private final VespaEmulator emulator;

  EmulatorControl(VespaEmulator emulator) {
    this.emulator = emulator;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String what = req.path().substring(PREFIX.length());
    if (what.equals("stats") && req.method() == HttpMethod.GET) {
      JsonObject byStatus = new JsonObject();
      emulator.responsesByStatus().forEach((status, n) -> byStatus.put(Integer.toString(status), n));
      JsonObject counts = new JsonObject();
      emulator.counts().forEach(counts::put);
      reply(req, 200, new JsonObject().put("documents", counts).put("operationsApplied", emulator.operationsApplied())
          .put("responsesByStatus", byStatus));
    } else if (what.startsWith("written/") && req.method() == HttpMethod.GET) {
      JsonObject written = new JsonObject();
      emulator.writtenAt(what.substring("written/".length())).forEach(written::put);
      reply(req, 200, written);
    } else if (what.equals("reset") && req.method() == HttpMethod.POST) {
      emulator.reset();
      reply(req, 200, new JsonObject().put("reset", true));
    } else if (what.equals("faults") && req.method() == HttpMethod.POST) {
      req.body().onSuccess(body -> {
        try {
          apply(body.length() == 0 ? new JsonObject() : body.toJsonObject());
          reply(req, 200, new JsonObject().put("applied", true));
        } catch (RuntimeException e) {
          reply(req, 400, new JsonObject().put("message", e.getMessage()));
        }
      });
    } else {
      reply(req, 404, new JsonObject().put("message", "emulator paths: GET /emulator/stats, GET /emulator/written/<type>, POST /emulator/reset, POST /emulator/faults"));
    }
  }

  private void apply(JsonObject faults) {
    VespaFaults f = emulator.faults();
    if (faults.getBoolean("clear", false)) {
      f.clear();
    }
    if (faults.containsKey("errorRate")) {
      JsonArray statuses = faults.getJsonArray("statuses", new JsonArray().add(503));
      int[] codes = statuses.stream().mapToInt(s -> ((Number) s).intValue()).toArray();
      f.errors(faults.getDouble("errorRate"), codes);
    }
    if (faults.containsKey("latencyMaxMs")) {
      f.latency(faults.getLong("latencyMinMs", 0L), faults.getLong("latencyMaxMs"));
    }
    if (faults.containsKey("outageMs")) {
      f.outage(faults.getLong("outageMs"));
    }
    if (faults.containsKey("maxInflight")) {
      f.maxInflight(faults.getInteger("maxInflight"));
    }
  }

  private static void reply(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
