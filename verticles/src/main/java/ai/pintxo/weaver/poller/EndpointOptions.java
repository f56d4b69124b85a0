package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
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
public final class EndpointOptions {

  /** GeckoTerminal serves 10 pages of 20 new pools. */
  public static final int DEFAULT_MAX_PAGES = 10;

  private String endpoint;
  private String dataType;
  private String responseType = "json";
  private Duration interval;
  private CronSchedule cron;
  private boolean conditional = true;
  private int maxPages = DEFAULT_MAX_PAGES;
  private RateLimit rateLimit;

  public EndpointOptions() {
  }

  /** @param other the options to copy */
  public EndpointOptions(EndpointOptions other) {
    endpoint = other.endpoint;
    dataType = other.dataType;
    responseType = other.responseType;
    interval = other.interval;
    cron = other.cron;
    conditional = other.conditional;
    maxPages = other.maxPages;
    rateLimit = other.rateLimit;
  }

  /**
   * @param config   one endpoint object
   * @param handlers the installed handlers, to check the data type
   * @throws ConfigException naming the bad key
   */
  public EndpointOptions(ConfigReader config, ApiHandlers handlers) {
    endpoint = config.httpUrl("endpoint", null);
    if (endpoint == null) {
      throw new ConfigException(config.key("endpoint"), "is required");
    }
    dataType = config.requiredString("dataType");
    if (handlers.forDataType(dataType).isEmpty()) {
      throw new ConfigException(config.key("dataType"), "no handler for data type '" + dataType
          + "' (known: " + String.join(", ", handlers.dataTypes()) + ")");
    }
    responseType = config.string("responseType", "json");
    if (!"json".equals(responseType)) {
      throw new ConfigException(config.key("responseType"), "only \"json\" is supported, was \"" + responseType + "\"");
    }
    interval = config.has("interval") ? config.duration("interval", null) : null;
    String cronText = config.string("cron", null);
    if (cronText != null) {
      if (interval != null) {
        throw new ConfigException(config.key("cron"), "set either interval or cron, not both");
      }
      try {
        cron = CronSchedule.parse(cronText);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(config.key("cron"), e.getMessage());
      }
    }
    conditional = config.bool("conditional", true);
    maxPages = config.integer("maxPages", DEFAULT_MAX_PAGES, 1, 1000);
    if (config.has("rateLimit")) {
      ConfigReader limit = config.object("rateLimit");
      if (!limit.has("requests")) {
        throw new ConfigException(limit.key("requests"), "is required");
      }
      int requests = limit.integer("requests", 1, 1, 1_000_000);
      rateLimit = new RateLimit(requests, limit.duration("period", Duration.ofMinutes(1)));
      limit.finish();
    }
    config.finish();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("endpoint", endpoint).put("dataType", dataType).put("responseType", responseType)
        .put("conditional", conditional).put("maxPages", maxPages);
    if (interval != null) {
      json.put("interval", Durations.format(interval));
    }
    if (cron != null) {
      json.put("cron", cron.toString());
    }
    if (rateLimit != null) {
      json.put("rateLimit", new JsonObject().put("requests", rateLimit.requests()).put("period", Durations.format(rateLimit.period())));
    }
    return json;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public EndpointOptions setEndpoint(String endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public String getDataType() {
    return dataType;
  }

  public EndpointOptions setDataType(String dataType) {
    this.dataType = dataType;
    return this;
  }

  public String getResponseType() {
    return responseType;
  }

  public EndpointOptions setResponseType(String responseType) {
    this.responseType = responseType;
    return this;
  }

  /** @return the endpoint's own interval, if it has one */
  public Optional<Duration> getInterval() {
    return Optional.ofNullable(interval);
  }

  public EndpointOptions setInterval(Duration interval) {
    this.interval = interval;
    return this;
  }

  /** @return the endpoint's cron schedule, if it has one (it then has no interval) */
  public Optional<CronSchedule> getCron() {
    return Optional.ofNullable(cron);
  }

  public EndpointOptions setCron(CronSchedule cron) {
    this.cron = cron;
    return this;
  }

  /** @return whether requests carry the validators of the last complete response */
  public boolean isConditional() {
    return conditional;
  }

  public EndpointOptions setConditional(boolean conditional) {
    this.conditional = conditional;
    return this;
  }

  /** @return how many pages one poll follows at most */
  public int getMaxPages() {
    return maxPages;
  }

  public EndpointOptions setMaxPages(int maxPages) {
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be at least 1, but was " + maxPages);
    }
    this.maxPages = maxPages;
    return this;
  }

  /** @return the host's request budget, if this endpoint sets it */
  public Optional<RateLimit> getRateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  public EndpointOptions setRateLimit(RateLimit rateLimit) {
    this.rateLimit = rateLimit;
    return this;
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
