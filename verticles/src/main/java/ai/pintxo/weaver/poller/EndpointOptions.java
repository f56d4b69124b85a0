package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * One entry of the endpoints file, in the original shape ({@code endpoint}, {@code dataType},
 * {@code responseType}) plus optional per-endpoint settings:
 * <ul>
 *   <li>{@code interval} (e.g. {@code "6h"}) or {@code cron} (e.g. {@code "0 6 * * *"}, UTC), not both;
 *       without either the poller's {@code defaultInterval} applies;</li>
 *   <li>{@code conditional} (default true): send {@code If-None-Match} / {@code If-Modified-Since}
 *       from the last complete response, and take a 304 as "nothing new";</li>
 *   <li>{@code maxPages} (default {@value #DEFAULT_MAX_PAGES}): JSON:API pages followed per poll via {@code links.next};</li>
 *   <li>{@code rateLimit} ({@code {"requests": 30, "period": "1m"}}): the budget of the endpoint's host,
 *       shared by every endpoint on that host; the first endpoint to name the host sets it.</li>
 * </ul>
 */
public final class EndpointOptions extends Options<EndpointOptions> {

  /** GeckoTerminal serves 10 pages of 20 new pools. */
  public static final int DEFAULT_MAX_PAGES = 10;

  public static final OptionSpec<EndpointOptions> SPEC = new OptionSpec<>("endpoints[]",
      "One polled endpoint, in the original endpoints.json shape", EndpointOptions::new);
  static final Option<String> ENDPOINT = SPEC.required("endpoint", OptionTypes.httpUrl(), "the URL to poll");
  static final Option<String> DATA_TYPE = SPEC.required("dataType", OptionTypes.nonBlank(),
      "the handler's data type; records go to <dataType>-api-topic");
  static final Option<String> RESPONSE_TYPE = SPEC.option("responseType", OptionTypes.oneOf("json"), "json", "the response format");
  static final Option<Duration> INTERVAL = SPEC.optional("interval", OptionTypes.duration(),
      "how often to poll (default: the poller's defaultInterval)");
  static final Option<CronSchedule> CRON = SPEC.optional("cron", OptionTypes.fromText("cron expression (UTC)", CronSchedule::parse,
      CronSchedule::toString), "when to poll instead of an interval, e.g. \"0 6 * * *\"");
  static final Option<Boolean> CONDITIONAL = SPEC.option("conditional", OptionTypes.bool(), true,
      "send If-None-Match / If-Modified-Since from the last complete response; a 304 means nothing new");
  static final Option<Integer> MAX_PAGES = SPEC.option("maxPages", OptionTypes.integer(1, 1000), DEFAULT_MAX_PAGES,
      "JSON:API pages followed per poll via links.next");
  static final Option<RateLimitOptions> RATE_LIMIT = SPEC.optional("rateLimit", OptionTypes.options(RateLimitOptions.SPEC),
      "the budget of the endpoint's host (the first endpoint to name the host sets it)");

  static {
    SPEC.rule(o -> {
      ApiHandlers handlers = ApiHandlers.installed();
      if (handlers.forDataType(o.getDataType()).isEmpty()) {
        throw new ConfigException(o.key("dataType"), "no handler for data type '" + o.getDataType()
            + "' (known: " + String.join(", ", handlers.dataTypes()) + ")");
      }
      if (o.getInterval().isPresent() && o.getCron().isPresent()) {
        throw new ConfigException(o.key("cron"), "set either interval or cron, not both");
      }
    });
  }

  public EndpointOptions() {
    super(SPEC);
  }

  /** @param other the options to copy */
  public EndpointOptions(EndpointOptions other) {
    super(other);
  }

  /**
   * @param json one endpoint object
   * @param path its key, for messages
   * @throws ConfigException naming the bad key
   */
  public EndpointOptions(JsonObject json, String path) {
    super(SPEC, json, path);
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public EndpointOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint);
  }

  public String getDataType() {
    return get(DATA_TYPE);
  }

  public EndpointOptions setDataType(String dataType) {
    return set(DATA_TYPE, dataType);
  }

  public String getResponseType() {
    return get(RESPONSE_TYPE);
  }

  public EndpointOptions setResponseType(String responseType) {
    return set(RESPONSE_TYPE, responseType);
  }

  /** @return the endpoint's own interval, if it has one */
  public Optional<Duration> getInterval() {
    return Optional.ofNullable(get(INTERVAL));
  }

  public EndpointOptions setInterval(Duration interval) {
    return set(INTERVAL, interval);
  }

  /** @return the endpoint's cron schedule, if it has one (it then has no interval) */
  public Optional<CronSchedule> getCron() {
    return Optional.ofNullable(get(CRON));
  }

  public EndpointOptions setCron(CronSchedule cron) {
    return set(CRON, cron);
  }

  /** @return whether requests carry the validators of the last complete response */
  public boolean isConditional() {
    return get(CONDITIONAL);
  }

  public EndpointOptions setConditional(boolean conditional) {
    return set(CONDITIONAL, conditional);
  }

  /** @return how many pages one poll follows at most */
  public int getMaxPages() {
    return get(MAX_PAGES);
  }

  public EndpointOptions setMaxPages(int maxPages) {
    return set(MAX_PAGES, maxPages);
  }

  /** @return the host's request budget, if this endpoint sets it */
  public Optional<RateLimit> getRateLimit() {
    return Optional.ofNullable(get(RATE_LIMIT)).map(RateLimitOptions::toRateLimit);
  }

  public EndpointOptions setRateLimit(RateLimit rateLimit) {
    return set(RATE_LIMIT, rateLimit == null ? null : new RateLimitOptions(rateLimit));
  }

  /**
   * A host's request budget.
   *
   * @param requests requests allowed per period
   * @param period   the period
   */
  public record RateLimit(int requests, Duration period) {
    public RateLimit {
      if (requests < 1 || period == null || period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("rate limit needs at least 1 request per positive period, was " + requests + " per " + period);
      }
    }
  }
}
