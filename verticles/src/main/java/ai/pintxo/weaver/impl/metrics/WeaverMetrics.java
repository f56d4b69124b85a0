package ai.pintxo.weaver.impl.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Finds the meter registry a verticle reports to: the Vert.x Micrometer backend when the Vert.x
 * instance runs with metrics (the launcher's Prometheus registry), otherwise Micrometer's global
 * registry, so an embedding application keeps its own choice.
 */
public final class WeaverMetrics {

  /** Prefix of every meter the weaver registers. */
  public static final String PREFIX = "weaver.";

  private WeaverMetrics() {
  }

  /** @return the registry for meters of verticles running on {@code vertx} */
  public static MeterRegistry registry(Vertx vertx) {
    if (vertx.isMetricsEnabled()) {
      MeterRegistry registry = BackendRegistries.getDefaultNow();
      if (registry != null) {
        return registry;
      }
    }
    return Metrics.globalRegistry;
  }
}
