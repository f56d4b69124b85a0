package ai.pintxo.weaver.launcher;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK of one runtime, built by the SDK's own autoconfiguration: the deployment's
 * {@code tracing} section gives the defaults, the {@code OTEL_*} variables and {@code otel.*} system
 * properties win. Traces only (no OpenTelemetry metrics or logs: metrics are Prometheus's), exported as
 * OTLP/HTTP protobuf unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise.
 */
final class Telemetry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);
  static final Telemetry OFF = new Telemetry(null);

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * @param env the environment that may turn tracing on (and whose {@code OTEL_*} values the SDK reads)
   * @return the SDK, or {@link #OFF} when neither the options nor the environment ask for traces
   */
  static Telemetry start(TracingOptions options, Map<String, String> env) {
    if (!wanted(options, env)) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", options.getServiceName());
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.exporter.otlp.endpoint", options.getEndpoint());
    defaults.put("otel.traces.sampler", "parentbased_traceidratio");
    defaults.put("otel.traces.sampler.arg", Double.toString(options.getSampleRatio()));
    defaults.put("otel.bsp.schedule.delay", Long.toString(options.getExportDelay().toMillis()));
    // The given environment as the SDK would read it (OTEL_FOO_BAR is otel.foo.bar): the process's own still wins.
    env.forEach((k, v) -> {
      if (k.startsWith("OTEL_")) {
        defaults.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
      }
    });
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .disableShutdownHook() // the runtime flushes and closes it after the verticles stopped
        .build()
        .getOpenTelemetrySdk();
    LOG.atInfo().addKeyValue("endpoint", env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", options.getEndpoint()))
        .addKeyValue("sampler", env.getOrDefault("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"))
        .addKeyValue("ratio", env.getOrDefault("OTEL_TRACES_SAMPLER_ARG", Double.toString(options.getSampleRatio())))
        .addKeyValue("service", env.getOrDefault("OTEL_SERVICE_NAME", options.getServiceName()))
        .log("tracing.on");
    return new Telemetry(sdk);
  }

  /** On when the options say so or an exporter is configured in the environment; OTEL_SDK_DISABLED=true wins. */
  static boolean wanted(TracingOptions options, Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
      return false;
    }
    String exporter = env.get("OTEL_TRACES_EXPORTER");
    if (exporter != null && !exporter.isBlank()) {
      return !"none".equalsIgnoreCase(exporter.trim());
    }
    return options.isEnabled() || env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }

  boolean on() {
    return sdk != null;
  }

  /** @return the SDK; call only when {@link #on()} */
  OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Exports the spans still buffered (blocks up to 10 s): call off the event loop, after the verticles stopped. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
