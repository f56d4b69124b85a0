package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import java.time.Duration;

/** A host's request budget as configured: {@code {"requests": 30, "period": "1m"}}. */
final class RateLimitOptions extends Options<RateLimitOptions> {

  public static final OptionSpec<RateLimitOptions> SPEC = new OptionSpec<>("rateLimit",
      "A host's request budget, shared by every request to the host", RateLimitOptions::new);
  static final Option<Integer> REQUESTS = SPEC.required("requests", OptionTypes.integer(1, 1_000_000), "requests allowed per period");
  static final Option<Duration> PERIOD = SPEC.option("period", OptionTypes.duration(), Duration.ofMinutes(1), "the period");

  public RateLimitOptions() {
    super(SPEC);
  }

  RateLimitOptions(EndpointOptions.RateLimit limit) {
    this();
    set(REQUESTS, limit.requests());
    set(PERIOD, limit.period());
  }

  EndpointOptions.RateLimit toRateLimit() {
    return new EndpointOptions.RateLimit(get(REQUESTS), get(PERIOD));
  }
}
