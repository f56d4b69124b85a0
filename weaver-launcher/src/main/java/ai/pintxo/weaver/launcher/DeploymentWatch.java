package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.config.ConfigChange;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deployment file through vertx-config's scan period ({@code admin.watch}): an edit is
 * validated as a whole, as at start; a valid one is handed over with the version it replaces, an
 * invalid one is logged once, naming the key, and changes nothing (the running pipelines stay as
 * they are until the file is fixed).
 */
final class DeploymentWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeploymentWatch.class);

  /** Applies a valid edit. */
  interface Apply {
    Future<Void> apply(Deployment before, Deployment after);
  }

  private final Vertx vertx;
  private final Path file;
  private final Map<String, String> env;
  private final ConfigRetriever retriever;
  private final Apply apply;
  private final MeterRegistry registry;
  /** The file as last applied (the retriever's context only). */
  private Deployment current;
  private String lastUnreadable;

  private DeploymentWatch(Vertx vertx, Path file, Map<String, String> env, ConfigRetriever retriever, Apply apply, MeterRegistry registry,
                          Deployment baseline) {
    this.vertx = vertx;
    this.file = file;
    this.env = env;
    this.retriever = retriever;
    this.apply = apply;
    this.registry = registry;
    this.current = baseline;
    for (String result : new String[] {"applied", "rejected", "failed"}) {
      counter(result); // visible at zero, so a rate over it works from the first scrape
    }
  }

  /**
   * @param period how often the file is read again
   * @return the watch, once the file was read as it stands (the baseline edits are compared with)
   */
  static Future<DeploymentWatch> start(Vertx vertx, Path file, Map<String, String> env, Duration period, Apply apply,
                                       MeterRegistry registry) {
    ConfigRetriever retriever = DeploymentSource.retriever(vertx, file, env, period.toMillis());
    return retriever.getConfig()
        .compose(first -> vertx.executeBlocking(() -> DeploymentSource.parse(first, file, env)))
        .map(baseline -> {
          DeploymentWatch watch = new DeploymentWatch(vertx, file, env, retriever, apply, registry, baseline);
          retriever.listen(watch::changed);
          retriever.configStream().exceptionHandler(watch::unreadable);
          LOG.atInfo().addKeyValue("file", file).addKeyValue("every", period).log("deployment.watching");
          return watch;
        })
        .onFailure(err -> retriever.close());
  }

  private void changed(ConfigChange change) {
    lastUnreadable = null;
    // Validation may read files the verticles reference: a worker, in order (executeBlocking is ordered per context).
    vertx.executeBlocking(() -> DeploymentSource.parse(change.getNewConfiguration(), file, env))
        .onFailure(err -> {
          counter("rejected").increment();
          if (err instanceof ConfigException e) {
            LOG.atError().addKeyValue("file", file).addKeyValue("key", e.key()).addKeyValue("reason", e.reason())
                .log("deployment.change_rejected");
          } else {
            LOG.atError().addKeyValue("file", file).addKeyValue("error", err.toString()).log("deployment.change_rejected");
          }
        })
        .onSuccess(next -> {
          Deployment before = current;
          current = next;
          apply.apply(before, next).onComplete(ar -> {
            counter(ar.failed() ? "failed" : "applied").increment();
            if (ar.failed()) {
              LOG.atError().addKeyValue("file", file).addKeyValue("error", ar.cause().getMessage()).log("deployment.change_failed");
            } else {
              LOG.atInfo().addKeyValue("file", file).log("deployment.change_applied");
            }
          });
        });
  }

  private void unreadable(Throwable err) {
    // The retriever reports a broken file on every scan: one line until it reads again or breaks differently.
    String message = String.valueOf(err.getMessage());
    if (!Objects.equals(message, lastUnreadable)) {
      lastUnreadable = message;
      counter("rejected").increment();
      LOG.atError().addKeyValue("file", file).addKeyValue("error", message).log("deployment.change_rejected");
    }
  }

  private Counter counter(String result) {
    return Counter.builder("weaver.deployment.changes").description("Edits of the deployment file, by result: applied, rejected "
        + "(invalid: nothing changed), failed (a pipeline did not start with its new config)").tag("result", result).register(registry);
  }

  @Override
  public void close() {
    retriever.close();
  }
}
