package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running deployment: the embedded broker when no external Kafka is configured, a Vert.x
 * instance reporting to Prometheus, the admin endpoint, and the verticles, deployed in file order
 * with their instance counts. Start and close run on the caller's (non event-loop) thread.
 */
public final class WeaverRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WeaverRuntime.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<String> deployed = new ArrayList<>();
  private final List<String> pending = new ArrayList<>();
  private Deployment deployment;
  private EmbeddedKafka kafka;
  private Vertx vertx;
  private AdminServer admin;
  private volatile boolean ready;

  /** Creates the Vert.x instance; nothing connects yet. */
  public WeaverRuntime() {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
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

  /**
   * Starts Kafka if embedded, the admin endpoint, then every verticle.
   *
   * @throws IllegalStateException naming the part that failed; the caller closes the runtime
   */
  public void start(Deployment toStart) {
    deployment = toStart;
    if (deployment.embeddedKafka()) {
      kafka = new EmbeddedKafka(deployment.embeddedDataDir(), deployment.embeddedPort(), deployment.embeddedControllerPort()).start();
      deployment = deployment.withBootstrapServers(kafka.bootstrapServers());
    }
    if (deployment.adminEnabled()) {
      admin = await(new AdminServer(vertx, registry, this::readiness).listen(deployment.adminHost(), deployment.adminPort()),
          "admin endpoint on " + deployment.adminHost() + ":" + deployment.adminPort());
      LOG.atInfo().addKeyValue("url", "http://" + deployment.adminHost() + ":" + admin.port()).log("admin.listening");
    }
    deployment.verticles().forEach(v -> pending.add(v.name()));
    for (VerticleSpec spec : deployment.verticles()) {
      String id = await(vertx.deployVerticle(() -> spec.provider().create(spec.config()),
          new DeploymentOptions().setInstances(spec.instances())), "verticle '" + spec.name() + "'");
      deployed.add(id);
      pending.remove(spec.name());
      LOG.atInfo().addKeyValue("name", spec.name()).addKeyValue("verticle", spec.provider().type())
          .addKeyValue("instances", spec.instances()).log("verticle.deployed");
    }
    ready = true;
  }

  private JsonObject readiness() {
    return new JsonObject().put("ready", ready).put("deployed", deployed.size()).put("pending", new io.vertx.core.json.JsonArray(List.copyOf(pending)));
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

  /** Undeploys the verticles (they commit what Vespa acknowledged), then stops the admin endpoint and Kafka. */
  @Override
  public void close() {
    ready = false;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.atWarn().log("vertx.close_failed: {}", e.toString());
    }
    if (kafka != null) {
      kafka.close();
    }
    registry.close();
  }
}
