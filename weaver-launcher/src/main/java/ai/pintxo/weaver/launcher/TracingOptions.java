package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import java.time.Duration;

/**
 * Tracing with OpenTelemetry: off unless {@code enabled} or the environment asks for it. The standard
 * {@code OTEL_*} variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_TRACES_SAMPLER},
 * {@code OTEL_TRACES_SAMPLER_ARG}, {@code OTEL_SERVICE_NAME}, …) win over these values, as the
 * OpenTelemetry SDK defines; these are the defaults a deployment file gives them.
 */
public final class TracingOptions extends Options<TracingOptions> {

  public static final OptionSpec<TracingOptions> SPEC = new OptionSpec<>("tracing",
      "OpenTelemetry traces, one per source event, through Kafka to Vespa's acknowledgement (OTEL_* variables win)", TracingOptions::new);
  static final Option<Boolean> ENABLED = SPEC.option("enabled", OptionTypes.bool(), false,
      "export traces; also on when OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER is set "
          + "(OTEL_SDK_DISABLED=true turns it off)");
  static final Option<String> ENDPOINT = SPEC.option("endpoint", OptionTypes.httpUrl(), "http://localhost:4318",
      "the OTLP/HTTP collector (Jaeger, an OpenTelemetry Collector); traces go to <endpoint>/v1/traces");
  static final Option<Double> SAMPLE_RATIO = SPEC.option("sampleRatio", OptionTypes.ratio(), 1.0,
      "the share of source events traced (0 to 1); the connector follows the source's decision");
  static final Option<String> SERVICE_NAME = SPEC.option("serviceName", OptionTypes.nonBlank(), "pintxo-data-weaver",
      "the service.name of the spans");
  static final Option<Duration> EXPORT_DELAY = SPEC.option("exportDelay", OptionTypes.duration(), Duration.ofSeconds(5),
      "how long finished spans wait to be exported in a batch");

  public TracingOptions() {
    super(SPEC);
  }

  public boolean isEnabled() {
    return get(ENABLED);
  }

  public TracingOptions setEnabled(boolean enabled) {
    return set(ENABLED, enabled);
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public TracingOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint);
  }

  public double getSampleRatio() {
    return get(SAMPLE_RATIO);
  }

  public TracingOptions setSampleRatio(double ratio) {
    return set(SAMPLE_RATIO, ratio);
  }

  public String getServiceName() {
    return get(SERVICE_NAME);
  }

  public Duration getExportDelay() {
    return get(EXPORT_DELAY);
  }

  public TracingOptions setExportDelay(Duration delay) {
    return set(EXPORT_DELAY, delay);
  }
}
