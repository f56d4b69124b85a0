package ai.pintxo.weaver.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's WebSocket
 * client (no new dependency): the page runs in real time, as an operator's would, so its
 * once-a-second readings are a second apart. Evaluates expressions in the page and captures
 * screenshots of a 1280×900 window. Blocking calls with timeouts, for a test thread.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path BINARY = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts a browser with a fresh profile under {@code workDir} showing {@code url}. */
  static HeadlessChromium open(Path workDir, String url) throws Exception {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    Path log = workDir.resolve(profile.getFileName() + ".log");
    Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--hide-scrollbars", "--window-size=1280,900", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, url)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start(); // a file: a full pipe would block the browser
    try {
      // The browser writes its DevTools port here once it listens.
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("chromium did not open its DevTools port: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
      HttpClient http = HttpClient.newHttpClient();
      String pageSocket = null;
      while (pageSocket == null) {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (Object target : new JsonArray(list)) {
          if ("page".equals(((JsonObject) target).getString("type"))) {
            pageSocket = ((JsonObject) target).getString("webSocketDebuggerUrl");
          }
        }
        if (pageSocket == null && System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium shows no page: " + list);
        }
        Thread.sleep(50);
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            JsonObject message = new JsonObject(text.toString());
            text.setLength(0);
            CompletableFuture<JsonObject> waiting = message.containsKey("id") ? self[0].pending.remove(message.getInteger("id")) : null;
            if (waiting != null) {
              waiting.complete(message);
            }
          }
          webSocket.request(1);
          return null;
        }
      }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(process, socket);
      // The viewport exactly, whatever the headless window's frame takes.
      self[0].call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", 1280).put("height", 900)
          .put("deviceScaleFactor", 1).put("mobile", false));
      return self[0];
    } catch (Exception e) {
      destroy(process);
      throw e;
    }
  }

  /** @return the value of a JavaScript expression in the page, as a string (null when undefined) */
  String evaluate(String expression) throws Exception {
    JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression).put("returnByValue", true));
    JsonObject value = result.getJsonObject("result");
    return value.getValue("value") == null ? null : String.valueOf(value.getValue("value"));
  }

  /** Waits until the expression is true in the page. */
  void await(String what, String expression, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!"true".equals(evaluate(expression))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("in the page, " + what + " did not happen within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  /** Saves what the window shows as a PNG. */
  void screenshot(Path png) throws Exception {
    JsonObject result = call("Page.captureScreenshot", new JsonObject().put("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(result.getString("data")));
  }

  private JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonObject message = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (message.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + message.getJsonObject("error").encode());
    }
    return message.getJsonObject("result");
  }

  @Override
  public void close() {
    socket.abort();
    destroy(process);
  }

  private static void destroy(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
