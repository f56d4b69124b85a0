package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.pipeline.UnitStatus;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.trace.Tracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running deployment: the embedded broker when no external Kafka is configured, the control topic
 * (operators' pauses, read before anything deploys), a Vert.x instance reporting to Prometheus, the
 * admin endpoint, and the pipelines (one per entry of the file), deployed in file order with their
 * instance counts. Start and close run on the caller's (non event-loop) thread.
 *
 * <p>At runtime a pipeline can be restarted, given another config (validated as at start; the old
 * one comes back when the new one fails to start), added or removed, one at a time in the order
 * asked, without touching the others; the deployment file is watched for such changes.
 */
public final class WeaverRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WeaverRuntime.class);
  private static final Duration CONTROL_READ_TIMEOUT = Duration.ofSeconds(60);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** The pipelines in file order (pipelines added at runtime at the end). */
  private final List<String> order = new CopyOnWriteArrayList<>();
  /** Each pipeline's spec as running, or as to run when not deployed. */
  private final Map<String, VerticleSpec> specs = new ConcurrentHashMap<>();
  /** Each deployed pipeline's Vert.x deployment id; a pipeline without one is pending. */
  private final Map<String, String> ids = new ConcurrentHashMap<>();
  private final Telemetry telemetry;
  private Deployment deployment;
  private EmbeddedKafka kafka;
  private Vertx vertx;
  private PipelineBoard board;
  private ControlTopic control;
  private DeploymentWatch watch;
  private AdminServer admin;
  private volatile boolean ready;
  /** The last operation; the next one starts after it (guarded by this). */
  private Future<?> lastOperation = Future.succeededFuture();

  /** Creates the Vert.x instance, without tracing; nothing connects yet. */
  public WeaverRuntime() {
    this(new TracingOptions(), Map.of());
  }

  /**
   * Creates the Vert.x instance, traced when the options or the environment ask for it (the tracer is
   * part of the instance, so tracing is set before the deployment starts); nothing connects yet.
   *
   * @param tracing the deployment's {@code tracing} section
   * @param env     the environment, whose {@code OTEL_*} variables may turn tracing on and configure it
   */
  public WeaverRuntime(TracingOptions tracing, Map<String, String> env) {
    telemetry = Telemetry.start(tracing, env);
    var builder = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry));
    if (telemetry.on()) {
      builder.withTracer(new OpenTelemetryTracingFactory(telemetry.openTelemetry()));
    }
    vertx = builder.build();
    if (telemetry.on()) {
      Tracing.install(vertx, telemetry.openTelemetry());
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** @return the deployment as started (with the embedded broker's servers filled in) */
  public Deployment deployment() {
    return deployment;
  }

  /** @return the embedded broker, or null when Kafka is external */
  EmbeddedKafka kafka() {
    return kafka;
  }

  public AdminServer admin() {
    return admin;
  }

  /** @return the board the pipelines of this runtime report to */
  public PipelineBoard board() {
    return board;
  }

  /**
   * Starts Kafka if embedded, the admin endpoint, then every verticle; watches the deployment file
   * with this process's environment.
   *
   * @throws IllegalStateException naming the part that failed; the caller closes the runtime
   */
  public void start(Deployment toStart) {
    start(toStart, System.getenv());
  }

  /**
   * @param env the environment whose {@code WEAVER_*} overrides apply to the watched file, as they did to {@code toStart}
   * @throws IllegalStateException naming the part that failed; the caller closes the runtime
   */
  public void start(Deployment toStart, Map<String, String> env) {
    deployment = toStart;
    if (deployment.adminEnabled()) {
      PortCheck.requireFree("admin.port", deployment.adminHost(), deployment.adminPort()); // before a broker starts for nothing
    }
    if (deployment.embeddedKafka()) {
      PortCheck.requireFree("kafka.embedded.port", "127.0.0.1", deployment.embeddedPort());
      PortCheck.requireFree("kafka.embedded.controllerPort", "127.0.0.1", deployment.embeddedControllerPort());
      kafka = new EmbeddedKafka(deployment.embeddedDataDir(), deployment.embeddedPort(), deployment.embeddedControllerPort()).start();
      deployment = deployment.withBootstrapServers(kafka.bootstrapServers());
    }
    board = PipelineBoard.of(vertx);
    // Before any verticle: a pipeline an operator paused starts paused, here and after any restart.
    control = new ControlTopic(deployment.kafka(), deployment.clusterGroup(), board);
    control.start(CONTROL_READ_TIMEOUT);
    for (VerticleSpec spec : deployment.verticles()) {
      order.add(spec.name());
      specs.put(spec.name(), spec);
    }
    if (deployment.adminEnabled()) {
      admin = await(new AdminServer(vertx, registry, this, deployment.adminToken()).listen(deployment.adminHost(), deployment.adminPort()),
          "admin endpoint on " + deployment.adminHost() + ":" + deployment.adminPort());
      LOG.atInfo().addKeyValue("url", "http://" + deployment.adminHost() + ":" + admin.port())
          .addKeyValue("token", deployment.adminToken() != null).log("admin.listening");
    }
    for (VerticleSpec spec : deployment.verticles()) {
      await(deploy(spec), "verticle '" + spec.name() + "'");
    }
    ready = true;
    if (!deployment.watchPeriod().isZero() && java.nio.file.Files.isRegularFile(deployment.file())) {
      watch = await(DeploymentWatch.start(vertx, deployment.file(), env, deployment.watchPeriod(), this::applyFile, registry),
          "watching " + deployment.file());
    }
  }

  /** @return the pipelines' names, in file order */
  public List<String> pipelines() {
    return List.copyOf(order);
  }

  /** @return a pipeline's spec as running (or as to run while it is being redeployed), or null when unknown */
  public VerticleSpec spec(String pipeline) {
    return specs.get(pipeline);
  }

  /** @return whether a pipeline is deployed now */
  public boolean deployed(String pipeline) {
    return ids.containsKey(pipeline);
  }

  /** @return the last pause or resume written for a pipeline, or null */
  PipelineState controlState(String pipeline) {
    return control.state(pipeline);
  }

  /**
   * Pauses or resumes a pipeline in every process of the group, now and after restarts.
   *
   * @return the state, once this process applied it
   */
  Future<PipelineState> setPaused(String pipeline, boolean paused, String reason, String by) {
    return control.publish(vertx, new PipelineState(pipeline, paused, paused ? reason : null, by, Instant.now()));
  }

  /** @return completes when the pipeline was undeployed and deployed again with the same config */
  public Future<Void> restart(String pipeline) {
    return serially(() -> {
      VerticleSpec spec = known(pipeline);
      LOG.atInfo().addKeyValue("name", pipeline).log("pipeline.restarting");
      return undeploy(pipeline).compose(v -> deploy(spec));
    });
  }

  /**
   * Validates a new config for a pipeline (the same checks and keys as at start) and, when it is
   * valid, redeploys the pipeline with it; nothing changes when it is not.
   *
   * @return fails with {@link ConfigException} when invalid, {@link ReplaceFailed} when the new config did not start
   */
  public Future<Void> reconfigure(String pipeline, JsonObject config) {
    VerticleSpec current;
    try {
      current = known(pipeline);
    } catch (NoSuchPipeline e) {
      return Future.failedFuture(e);
    }
    // Validation may read files (endpoints, packages): a worker, not the admin endpoint's event loop.
    return vertx.executeBlocking(() -> deployment.respec(current, config))
        .compose(next -> serially(() -> replace(next)));
  }

  /** Undeploys a pipeline and deploys its new spec; when that fails, deploys the old spec again. */
  private Future<Void> replace(VerticleSpec next) {
    VerticleSpec old = specs.get(next.name());
    if (old == null) {
      return deploy(next);
    }
    LOG.atInfo().addKeyValue("name", next.name()).addKeyValue("instancesFrom", old.instances()).addKeyValue("instancesTo", next.instances())
        .log("pipeline.reconfiguring");
    return undeploy(next.name())
        .compose(v -> deploy(next))
        .recover(failure -> {
          LOG.atError().addKeyValue("name", next.name()).addKeyValue("error", failure.getMessage()).log("pipeline.reconfigure_failed");
          return deploy(old).transform(restored -> Future.failedFuture(new ReplaceFailed(next.name(), failure, restored.succeeded())));
        });
  }

  /**
   * Applies an edited deployment file: pipelines removed from it are undeployed, changed ones
   * (config, instances or type) redeployed like {@link #reconfigure}, new ones deployed.
   *
   * @param before the file as last applied
   * @param after  the file as it is now, validated
   */
  private Future<Void> applyFile(Deployment before, Deployment after) {
    Deployment next = kafka != null ? after.withBootstrapServers(kafka.bootstrapServers()) : after;
    Deployment previous = kafka != null ? before.withBootstrapServers(kafka.bootstrapServers()) : before;
    Map<String, VerticleSpec> was = byName(previous.verticles());
    Map<String, VerticleSpec> now = byName(next.verticles());
    List<String> restartNeeded = new ArrayList<>();
    for (String section : List.of("kafka", "admin", "cluster")) {
      if (!Objects.equals(previous.effective().getValue(section), next.effective().getValue(section))) {
        restartNeeded.add(section);
      }
    }
    if (!restartNeeded.isEmpty()) {
      // The broker, the clients' shared settings, the admin endpoint and the control topic's group are the process's.
      LOG.atWarn().addKeyValue("file", after.file()).addKeyValue("sections", restartNeeded).log("deployment.restart_needed");
    }
    List<Future<Void>> steps = new ArrayList<>();
    was.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> steps.add(serially(() -> remove(name))));
    now.forEach((name, spec) -> {
      VerticleSpec old = was.get(name);
      if (old == null) {
        steps.add(serially(() -> add(spec)));
      } else if (!sameSpec(old, spec)) {
        steps.add(serially(() -> replace(spec)));
      }
    });
    LOG.atInfo().addKeyValue("file", after.file()).addKeyValue("changes", steps.size()).log("deployment.changed");
    return Future.join(steps).mapEmpty();
  }

  private static boolean sameSpec(VerticleSpec a, VerticleSpec b) {
    return a.provider().type().equals(b.provider().type()) && a.instances() == b.instances() && a.config().equals(b.config());
  }

  private static Map<String, VerticleSpec> byName(List<VerticleSpec> list) {
    Map<String, VerticleSpec> map = new LinkedHashMap<>();
    list.forEach(v -> map.put(v.name(), v));
    return map;
  }

  private Future<Void> add(VerticleSpec spec) {
    if (!order.contains(spec.name())) {
      order.add(spec.name());
    }
    return deploy(spec);
  }

  private Future<Void> remove(String pipeline) {
    return undeploy(pipeline).onComplete(ar -> {
      order.remove(pipeline);
      specs.remove(pipeline);
      LOG.atInfo().addKeyValue("name", pipeline).log("pipeline.removed");
    });
  }

  private Future<Void> deploy(VerticleSpec spec) {
    specs.put(spec.name(), spec);
    return vertx.deployVerticle(() -> spec.provider().create(spec.config()), new DeploymentOptions().setInstances(spec.instances()))
        .onSuccess(id -> {
          ids.put(spec.name(), id);
          LOG.atInfo().addKeyValue("name", spec.name()).addKeyValue("verticle", spec.provider().type())
              .addKeyValue("instances", spec.instances()).log("verticle.deployed");
        })
        .mapEmpty();
  }

  private Future<Void> undeploy(String pipeline) {
    String id = ids.remove(pipeline);
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id)
        .onComplete(ar -> {
          // What the verticles left on the board (declared units, gauges' sources) belongs to the old deployment.
          board.forget(pipeline);
          LOG.atInfo().addKeyValue("name", pipeline).addKeyValue("ok", ar.succeeded()).log("verticle.undeployed");
        })
        .recover(err -> Future.succeededFuture()); // an instance that failed to stop cleanly is gone all the same
  }

  private VerticleSpec known(String pipeline) {
    VerticleSpec spec = specs.get(pipeline);
    if (spec == null) {
      throw new NoSuchPipeline(pipeline);
    }
    return spec;
  }

  /** Runs operations on pipelines one at a time, in the order asked: two redeploys of one pipeline never interleave. */
  private synchronized <T> Future<T> serially(Supplier<Future<T>> operation) {
    Promise<T> result = Promise.promise();
    lastOperation = lastOperation.transform(previous -> {
      Future<T> f;
      try {
        f = operation.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(result);
      return f.transform(ar -> Future.succeededFuture());
    });
    return result.future();
  }

  /** @return whether every pipeline is deployed and nothing on the board keeps the process from delivering */
  boolean isReady() {
    return ready && ids.keySet().containsAll(order) && board.problems().isEmpty();
  }

  /** @return {@code {"ready", "deployed", "pending", "problems"}} for {@code /ready} */
  JsonObject readiness() {
    List<String> pending = order.stream().filter(name -> !ids.containsKey(name)).toList();
    List<String> problems = board == null ? List.of() : board.problems();
    return new JsonObject().put("ready", isReady()).put("deployed", order.size() - pending.size())
        .put("pending", new JsonArray(pending)).put("problems", new JsonArray(problems));
  }

  /** @return {@code {"status": "UP"|"DEGRADED", "pipelines": {name: {state: count}}, "problems": [...]}} for {@code /health} */
  JsonObject health() {
    JsonObject pipelines = new JsonObject();
    for (String name : order) {
      JsonObject counts = new JsonObject();
      for (UnitState state : UnitState.values()) {
        counts.put(state.label(), 0);
      }
      for (UnitStatus unit : board.units(name)) {
        counts.put(unit.state().label(), counts.getInteger(unit.state().label()) + 1);
      }
      pipelines.put(name, counts);
    }
    JsonObject readiness = readiness();
    return new JsonObject().put("status", readiness.getBoolean("ready") ? "UP" : "DEGRADED").put("pipelines", pipelines)
        .put("pending", readiness.getJsonArray("pending")).put("problems", readiness.getJsonArray("problems"));
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(what + " failed to start: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(what + " did not start within 5 minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + what, e);
    }
  }

  /** Stops watching, undeploys the verticles (they commit what Vespa acknowledged), then stops the admin endpoint and Kafka. */
  @Override
  public void close() {
    ready = false;
    if (watch != null) {
      watch.close();
    }
    if (admin != null) {
      try {
        admin.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // and its Kafka admin client
      } catch (Exception e) {
        LOG.atWarn().addKeyValue("error", e.toString()).log("admin.close_failed");
      }
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.atWarn().addKeyValue("error", e.toString()).log("vertx.close_failed");
    }
    if (control != null) {
      control.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    telemetry.close(); // after the verticles: their last spans are exported
    registry.close();
  }

  /** A pipeline name the runtime does not run. */
  static final class NoSuchPipeline extends RuntimeException {
    NoSuchPipeline(String pipeline) {
      super("no pipeline named '" + pipeline + "'");
    }
  }

  /** A new config that did not start; the old one runs again when {@code restored}. */
  static final class ReplaceFailed extends RuntimeException {
    final boolean restored;

    ReplaceFailed(String pipeline, Throwable cause, boolean restored) {
      super("pipeline '" + pipeline + "' did not start with the new config: " + cause.getMessage()
          + (restored ? "; the previous config runs again" : "; the previous config did not start either"), cause);
      this.restored = restored;
    }
  }
}
