package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * One entry of the endpoints file, in the original shape ({@code endpoint}, {@code dataType},
 * {@code responseType}) plus an optional polling {@code interval} that overrides the poller's default.
 */
public final class EndpointOptions {

  private String endpoint;
  private String dataType;
  private String responseType = "json";
  private Duration interval;

  public EndpointOptions() {
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
    config.finish();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("endpoint", endpoint).put("dataType", dataType).put("responseType", responseType);
    if (interval != null) {
      json.put("interval", Durations.format(interval));
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
}
