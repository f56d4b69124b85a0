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
  /** The adaptive limit never goes below this. */
  public static final int DEFAULT_MIN_INFLIGHT = 4;
  /** Where the adaptive limit starts: high enough to skip a long ramp-up (vespa-feed-client users asked for that). */
  public static final int DEFAULT_INITIAL_INFLIGHT = 64;
  /** The adaptive limit never goes above this; by default connections × streams per connection. */
  public static final int DEFAULT_MAX_INFLIGHT = DEFAULT_CONNECTIONS * DEFAULT_MAX_STREAMS_PER_CONNECTION;
  /** vespa-feed-client's default grace period before its breaker opens. */
  public static final Duration DEFAULT_CIRCUIT_BREAKER_GRACE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CIRCUIT_BREAKER_PROBE_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  /** vespa-feed-client's {@code compression=auto} threshold: gzip bodies above 512 bytes. */
  public static final int DEFAULT_COMPRESS_ABOVE_BYTES = 512;

  private String endpoint = DEFAULT_ENDPOINT;
  private int connections = DEFAULT_CONNECTIONS;
  private int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int minInflight = DEFAULT_MIN_INFLIGHT;
  private int initialInflight = DEFAULT_INITIAL_INFLIGHT;
  private int maxInflight = DEFAULT_MAX_INFLIGHT;
  private Duration circuitBreakerGrace = DEFAULT_CIRCUIT_BREAKER_GRACE;
  private Duration circuitBreakerProbeInterval = DEFAULT_CIRCUIT_BREAKER_PROBE_INTERVAL;
  private String certificate;
  private String privateKey;
  private String caCertificates;
  private Duration minBackoff = DEFAULT_MIN_BACKOFF;
  private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  private int compressAboveBytes = DEFAULT_COMPRESS_ABOVE_BYTES;
  private boolean coalesceUpdates = true;
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
    maxInflight = config.integer("maxInflight", connections * maxStreamsPerConnection, 1, 65_536);
    minInflight = config.integer("minInflight", Math.min(DEFAULT_MIN_INFLIGHT, maxInflight), 1, maxInflight);
    initialInflight = config.integer("initialInflight", Math.max(minInflight, Math.min(DEFAULT_INITIAL_INFLIGHT, maxInflight)),
        minInflight, maxInflight);
    circuitBreakerGrace = config.duration("circuitBreakerGrace", DEFAULT_CIRCUIT_BREAKER_GRACE);
    circuitBreakerProbeInterval = config.duration("circuitBreakerProbeInterval", DEFAULT_CIRCUIT_BREAKER_PROBE_INTERVAL);
    certificate = config.string("certificate", null);
    privateKey = config.string("privateKey", null);
    caCertificates = config.string("caCertificates", null);
    if ((certificate == null) != (privateKey == null)) {
      throw new ConfigException(config.key(certificate == null ? "certificate" : "privateKey"),
          "mTLS needs both certificate and privateKey (PEM files)");
    }
    if (certificate != null && !endpoint.startsWith("https://")) {
      throw new ConfigException(config.key("certificate"), "a client certificate needs an https:// endpoint, was " + endpoint);
    }
    minBackoff = config.duration("minBackoff", DEFAULT_MIN_BACKOFF);
    maxBackoff = config.duration("maxBackoff", DEFAULT_MAX_BACKOFF);
    compressAboveBytes = config.integer("compressAboveBytes", DEFAULT_COMPRESS_ABOVE_BYTES, -1, Integer.MAX_VALUE);
    coalesceUpdates = config.bool("coalesceUpdates", true);
    bearerToken = config.string("bearerToken", null);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new ConfigException(config.key("maxBackoff"), "must not be shorter than minBackoff (" + Durations.format(minBackoff) + ")");
    }
    config.finish();
  }

  /** @return the options as JSON (the bearer token included: mask before printing) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("endpoint", endpoint)
        .put("connections", connections)
        .put("maxStreamsPerConnection", maxStreamsPerConnection)
        .put("requestTimeout", Durations.format(requestTimeout))
        .put("minInflight", minInflight)
        .put("initialInflight", initialInflight)
        .put("maxInflight", maxInflight)
        .put("circuitBreakerGrace", Durations.format(circuitBreakerGrace))
        .put("circuitBreakerProbeInterval", Durations.format(circuitBreakerProbeInterval))
        .put("minBackoff", Durations.format(minBackoff))
        .put("maxBackoff", Durations.format(maxBackoff))
        .put("compressAboveBytes", compressAboveBytes)
        .put("coalesceUpdates", coalesceUpdates);
    if (bearerToken != null) {
      json.put("bearerToken", bearerToken);
    }
    if (certificate != null) {
      json.put("certificate", certificate).put("privateKey", privateKey);
    }
    if (caCertificates != null) {
      json.put("caCertificates", caCertificates);
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

  /** Sets the highest in-flight limit, lowering the initial and lowest limits if they were above it. */
  public VespaFeedOptions setMaxInflight(int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1, was " + maxInflight);
    }
    this.maxInflight = maxInflight;
    this.minInflight = Math.min(minInflight, maxInflight);
    this.initialInflight = Math.min(initialInflight, maxInflight);
    return this;
  }

  public int getMinInflight() {
    return minInflight;
  }

  public VespaFeedOptions setMinInflight(int minInflight) {
    if (minInflight < 1 || minInflight > maxInflight) {
      throw new IllegalArgumentException("minInflight must be within [1, maxInflight=" + maxInflight + "], was " + minInflight);
    }
    this.minInflight = minInflight;
    this.initialInflight = Math.max(initialInflight, minInflight);
    return this;
  }

  public int getInitialInflight() {
    return initialInflight;
  }

  public VespaFeedOptions setInitialInflight(int initialInflight) {
    if (initialInflight < minInflight || initialInflight > maxInflight) {
      throw new IllegalArgumentException("initialInflight must be within [minInflight, maxInflight], was " + initialInflight);
    }
    this.initialInflight = initialInflight;
    return this;
  }

  public Duration getCircuitBreakerGrace() {
    return circuitBreakerGrace;
  }

  public VespaFeedOptions setCircuitBreakerGrace(Duration circuitBreakerGrace) {
    this.circuitBreakerGrace = circuitBreakerGrace;
    return this;
  }

  public Duration getCircuitBreakerProbeInterval() {
    return circuitBreakerProbeInterval;
  }

  public VespaFeedOptions setCircuitBreakerProbeInterval(Duration circuitBreakerProbeInterval) {
    this.circuitBreakerProbeInterval = circuitBreakerProbeInterval;
    return this;
  }

  public String getCertificate() {
    return certificate;
  }

  /** mTLS client certificate (PEM file), as Vespa Cloud's data plane requires; set with {@link #setPrivateKey}. */
  public VespaFeedOptions setCertificate(String certificate) {
    this.certificate = certificate;
    return this;
  }

  public String getPrivateKey() {
    return privateKey;
  }

  /** The client certificate's private key (PEM file). */
  public VespaFeedOptions setPrivateKey(String privateKey) {
    this.privateKey = privateKey;
    return this;
  }

  public String getCaCertificates() {
    return caCertificates;
  }

  /** CA certificates to trust (PEM file) instead of the JVM's, e.g. for a self-signed Vespa. */
  public VespaFeedOptions setCaCertificates(String caCertificates) {
    this.caCertificates = caCertificates;
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

  /** @return whether waiting field-assign updates of one document are merged into one request */
  public boolean isCoalesceUpdates() {
    return coalesceUpdates;
  }

  public VespaFeedOptions setCoalesceUpdates(boolean coalesceUpdates) {
    this.coalesceUpdates = coalesceUpdates;
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
