package ai.pintxo.weaver.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code weaver status [--admin URL] [--token T]}: asks a running weaver's admin endpoint for its
 * pipelines and prints one line per unit owned there. Exit code 0 when the process is ready, 1 when
 * it is not, 2 when it cannot be asked (unreachable, refused). Found by {@code ServiceLoader}.
 */
public final class StatusCommand implements Command {

  static final String DEFAULT_ADMIN = "http://" + Deployment.DEFAULT_ADMIN_HOST + ":" + Deployment.DEFAULT_ADMIN_PORT;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_TEXT = 70;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public StatusCommand() {
    this(System.out, System.err, System.getenv());
  }

  StatusCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String usage() {
    return "status [--admin URL] [--token T]   show a running weaver's pipelines and units (default " + DEFAULT_ADMIN
        + ", token from WEAVER_ADMIN__TOKEN); exit 0 ready, 1 not ready, 2 unreachable";
  }

  @Override
  public int run(List<String> args) throws InterruptedException {
    String admin = DEFAULT_ADMIN;
    String token = env.get("WEAVER_ADMIN__TOKEN");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--admin") || a.equals("--token")) && i + 1 < args.size()) {
        if (a.equals("--admin")) {
          admin = args.get(++i);
        } else {
          token = args.get(++i);
        }
      } else {
        err.println("weaver status: unexpected argument '" + a + "'; usage: weaver " + usage());
        return 2;
      }
    }
    admin = admin.endsWith("/") ? admin.substring(0, admin.length() - 1) : admin;
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> pipelines;
    HttpResponse<String> ready;
    try {
      pipelines = client.send(request(admin + "/pipelines", token), HttpResponse.BodyHandlers.ofString());
      ready = client.send(request(admin + "/ready", token), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      err.println("weaver status: cannot reach the admin endpoint at " + admin + ": " + (e.getMessage() == null ? e : e.getMessage())
          + " (is weaver running there? --admin URL)");
      return 2;
    }
    if (pipelines.statusCode() == 401) {
      err.println("weaver status: " + admin + " requires a token: --token T or WEAVER_ADMIN__TOKEN" + (token == null ? "" : " (the one given was refused)"));
      return 2;
    }
    if (pipelines.statusCode() != 200) {
      err.println("weaver status: " + admin + "/pipelines answered " + pipelines.statusCode() + ": " + abbreviate(pipelines.body()));
      return 2;
    }
    JsonArray list;
    JsonObject readiness;
    try {
      list = new JsonArray(pipelines.body());
      readiness = new JsonObject(ready.body());
    } catch (RuntimeException e) {
      err.println("weaver status: " + admin + " did not answer like a weaver admin endpoint: " + e.getMessage());
      return 2;
    }
    out.print(table(list, Instant.now()));
    boolean isReady = ready.statusCode() == 200;
    out.println();
    out.println(isReady ? "ready" : "NOT READY");
    readiness.getJsonArray("pending", new JsonArray()).forEach(p -> out.println("  pending: " + p));
    readiness.getJsonArray("problems", new JsonArray()).forEach(p -> out.println("  problem: " + p));
    return isReady ? 0 : 1;
  }

  private static HttpRequest request(String url, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.build();
  }

  /** @return the table: one row per unit owned by the process, or one per pipeline owning none */
  static String table(JsonArray pipelines, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PIPELINE", "TYPE", "UNIT", "STATE", "OWNER", "LAST EVENT", "LAG", "REASON / LAST ERROR"});
    for (Object o : pipelines) {
      JsonObject p = (JsonObject) o;
      JsonArray owned = p.getJsonArray("owned", new JsonArray());
      String paused = p.getString("paused");
      if (owned.isEmpty()) {
        String state = !p.getBoolean("deployed", false) ? "undeployed" : paused != null ? "paused" : "-";
        int declared = p.getJsonArray("units", new JsonArray()).size();
        rows.add(new String[] {p.getString("name"), p.getString("type"), declared == 0 ? "-" : "(" + declared + " elsewhere)", state, "-", "-",
            "-", paused == null ? "" : paused});
        continue;
      }
      for (Object u : owned) {
        JsonObject unit = (JsonObject) u;
        String why = unit.getString("reason") != null ? unit.getString("reason") : unit.getString("lastError", "");
        rows.add(new String[] {p.getString("name"), p.getString("type"), unit.getString("unit"), unit.getString("state"),
            unit.getString("owner", "-"), age(unit.getString("lastEvent"), now), lag(unit.getJsonObject("lag")), abbreviate(why)});
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i] == null ? 1 : row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i] == null ? "-" : row[i];
        line.append(i == row.length - 1 ? cell : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", cell));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** @return {@code 3s}, {@code 4m12s}, {@code 2h5m} ago, or {@code -} when none */
  static String age(String instant, Instant now) {
    if (instant == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(Instant.parse(instant), now).toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60) + "s";
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }

  /** @return e.g. {@code poll-age 12} or {@code staleness 95 LATE}; {@code -} when unknown */
  static String lag(JsonObject lag) {
    if (lag == null) {
      return "-";
    }
    double value = lag.getDouble("value", 0.0);
    String amount = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    return lag.getString("kind") + " " + amount + (lag.getBoolean("late", false) ? " LATE" : "");
  }

  private static String abbreviate(String text) {
    String one = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_TEXT ? one : one.substring(0, MAX_TEXT - 1) + "…";
  }
}
