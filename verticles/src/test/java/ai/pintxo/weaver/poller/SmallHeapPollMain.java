package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs in its own JVM with a small fixed heap (see {@code LargePayloadSmallHeapTest}).
 * {@code poll <url> <bootstrap>}: the real {@link ApiPollerVerticle} polls a pools endpoint into
 * Kafka, then prints {@code PRODUCED <n>} and {@code PEAK_HEAP <bytes>}.
 * {@code tree <url>}: reads the same body whole and as a Jackson tree, the way a non-streaming
 * poller would, to show that this heap cannot hold it.
 */
public final class SmallHeapPollMain {

  /** The event loop's time limit in the {@code poll} run: Vert.x logs "has been blocked" beyond it. */
  static final long MAX_EVENT_LOOP_MS = 100;

  private SmallHeapPollMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("tree")) {
      byte[] body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[1])).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      System.out.println("TREE " + Json.mapper().readTree(body).get("data").size());
      return;
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.globalRegistry.add(registry);
    warmUp(URI.create(args[1]).resolve("/weaver-warm-up"));
    // The blocked-thread checker warns after 100 ms (Vert.x's default is 2 s): reading the 11 MB body whole on
    // the event loop would take longer than that, and the test fails on any warning.
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setWarningExceptionTime(100).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)); // with the stack trace
    ApiPollerOptions options = new ApiPollerOptions().setKafka(new KafkaOptions().setBootstrapServers(args[2]))
        .setDefaultInterval(Duration.ofHours(1)).setRetries(0)
        .addEndpoint(new EndpointOptions().setDataType("pools").setEndpoint(args[1]));
    vertx.deployVerticle(new ApiPollerVerticle(options)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    double cycles = 0;
    while (System.nanoTime() < deadline) {
      cycles = registry.find("weaver.poll.cycles").counters().stream().mapToDouble(c -> c.count()).sum();
      if (cycles > 0) {
        break;
      }
      Thread.sleep(100);
    }
    double ok = registry.find("weaver.poll.cycles").tag("result", "ok").counters().stream().mapToDouble(c -> c.count()).sum();
    double produced = registry.find("weaver.records.produced").counters().stream().mapToDouble(c -> c.count()).sum();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("PRODUCED " + (long) produced);
    System.out.println("PEAK_HEAP " + peak);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(ok == 1 ? 0 : 1);
  }

  /**
   * Loads, once, what a cold JVM loads on first use whatever the payload (Jackson and the handlers, Vert.x's
   * HTTP client): a few hundred milliseconds of class loading that would otherwise land on the measured event
   * loop. It runs in a throwaway Vert.x with the default limit, so the checker of the {@code poll} run sees
   * only work that grows with the body.
   */
  private static void warmUp(URI anyUrl) throws Exception {
    ApiHandlers.installed();
    Vertx warm = Vertx.vertx();
    try {
      io.vertx.core.http.HttpClient client = warm.createHttpClient();
      client.request(io.vertx.core.http.HttpMethod.GET, anyUrl.getPort(), anyUrl.getHost(), anyUrl.getPath())
          .compose(request -> request.send()).compose(response -> response.body())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      warm.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
