package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How the engine connector reaches Vespa's /document/v1: endpoint, HTTP/2 connections and streams,
 * per-operation timeout, in-flight limit, retry backoff and compression.
 */
public final class VespaFeedOptions {

  public static final String DEFAULT_ENDPOINT = "http://localhost:8080";
  /** Like vespa-feed-client's default per connection would be too many for one small node; 2 spreads load. */
  public static final int DEFAULT_CONNECTIONS = 2;
  /** Half of Vespa's 512 streams per connection, as vespa-feed-client reasons. */
  public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 256;
  /** Vespa's {@code timeout} parameter for each attempt. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_INFLIGHT = 256;
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  /** vespa-feed-client's {@code compression=auto} threshold: gzip bodies above 512 bytes. */
  public static final int DEFAULT_COMPRESS_ABOVE_BYTES = 512;

  private String endpoint = DEFAULT_ENDPOINT;
  private int connections = DEFAULT_CONNECTIONS;
  private int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private Duration minBackoff = DEFAULT_MIN_BACKOFF;
  private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  private int compressAboveBytes = DEFAULT_COMPRESS_ABOVE_BYTES;
  private String bearerToken;

  public VespaFeedOptions() {
  }

  public VespaFeedOptions(JsonObject json) {
    this(ConfigReader.of(json, "vespa"));
  }

  /** @throws ConfigException naming the bad key */
  public VespaFeedOptions(ConfigReader config) {
    endpoint = config.httpUrl("endpoint", DEFAULT_ENDPOINT);
    if (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    connections = config.integer("connections", DEFAULT_CONNECTIONS, 1, 128);
    maxStreamsPerConnection = config.integer("maxStreamsPerConnection", DEFAULT_MAX_STREAMS_PER_CONNECTION, 1, 4096);
    requestTimeout = config.duration("requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    maxInflight = config.integer("maxInflight", DEFAULT_MAX_INFLIGHT, 1, 65_536);
    minBackoff = config.duration("minBackoff", DEFAULT_MIN_BACKOFF);
    maxBackoff = config.duration("maxBackoff", DEFAULT_MAX_BACKOFF);
    compressAboveBytes = config.integer("compressAboveBytes", DEFAULT_COMPRESS_ABOVE_BYTES, -1, Integer.MAX_VALUE);
    bearerToken = config.string("bearerToken", null);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new ConfigException(config.key("maxBackoff"), "must not be shorter than minBackoff (" + Durations.format(minBackoff) + ")");
    }
    config.finish();
  }

  /** @return the options as JSON; the bearer token is masked, it belongs in the environment */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("endpoint", endpoint)
        .put("connections", connections)
        .put("maxStreamsPerConnection", maxStreamsPerConnection)
        .put("requestTimeout", Durations.format(requestTimeout))
        .put("maxInflight", maxInflight)
        .put("minBackoff", Durations.format(minBackoff))
        .put("maxBackoff", Durations.format(maxBackoff))
        .put("compressAboveBytes", compressAboveBytes);
    if (bearerToken != null) {
      json.put("bearerToken", bearerToken);
    }
    return json;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public VespaFeedOptions setEndpoint(String endpoint) {
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return this;
  }

  public int getConnections() {
    return connections;
  }

  public VespaFeedOptions setConnections(int connections) {
    this.connections = connections;
    return this;
  }

  public int getMaxStreamsPerConnection() {
    return maxStreamsPerConnection;
  }

  public VespaFeedOptions setMaxStreamsPerConnection(int maxStreamsPerConnection) {
    this.maxStreamsPerConnection = maxStreamsPerConnection;
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public VespaFeedOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  public int getMaxInflight() {
    return maxInflight;
  }

  public VespaFeedOptions setMaxInflight(int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1, was " + maxInflight);
    }
    this.maxInflight = maxInflight;
    return this;
  }

  public Duration getMinBackoff() {
    return minBackoff;
  }

  public VespaFeedOptions setMinBackoff(Duration minBackoff) {
    this.minBackoff = minBackoff;
    return this;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  public VespaFeedOptions setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
    return this;
  }

  public int getCompressAboveBytes() {
    return compressAboveBytes;
  }

  /** Bodies larger than this are sent gzipped; -1 never compresses. */
  public VespaFeedOptions setCompressAboveBytes(int compressAboveBytes) {
    this.compressAboveBytes = compressAboveBytes;
    return this;
  }

  public String getBearerToken() {
    return bearerToken;
  }

  /** Vespa Cloud data-plane token, sent as {@code Authorization: Bearer}; supply it from the environment. */
  public VespaFeedOptions setBearerToken(String bearerToken) {
    this.bearerToken = bearerToken;
    return this;
  }
}
