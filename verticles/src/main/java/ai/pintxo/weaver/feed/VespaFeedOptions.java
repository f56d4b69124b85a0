package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Durations;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How the engine connector reaches Vespa's /document/v1: endpoint, HTTP/2 connections and streams,
 * per-operation timeout, in-flight limit, retry backoff and compression.
 */
public final class VespaFeedOptions extends Options<VespaFeedOptions> {

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

  public static final OptionSpec<VespaFeedOptions> SPEC = new OptionSpec<>("vespa",
      "How the engine connector feeds Vespa's /document/v1 over HTTP/2", VespaFeedOptions::new);
  static final Option<String> ENDPOINT = SPEC.option("endpoint", OptionTypes.baseUrl(), DEFAULT_ENDPOINT,
      "the container (or Vespa Cloud endpoint)");
  static final Option<String> PROTOCOL = SPEC.option("protocol", OptionTypes.oneOf("http2", "http1", "auto"), "http2",
      "http2 (as Vespa's own feed client), http1 for an endpoint behind a proxy that speaks only HTTP/1.1, or auto: "
          + "HTTP/2, falling back to HTTP/1.1 when the endpoint does not speak it");
  static final Option<String> TRANSPORT = SPEC.option("transport", OptionTypes.oneOf("netty", "vertx"), "netty",
      "netty: a lean HTTP/2 client on Netty's codec (one flush per event-loop turn, pre-made headers); vertx: the Vert.x HTTP "
          + "client, also used whatever this says for protocol http1 or auto and while tracing is on (its request spans)");
  static final Option<Integer> CONNECTIONS = SPEC.option("connections", OptionTypes.integer(1, 128), DEFAULT_CONNECTIONS,
      "connections (HTTP/1.1: keep-alive connections, one request on each at a time); each request goes to the one with the fewest outstanding");
  static final Option<Integer> MAX_STREAMS_PER_CONNECTION = SPEC.option("maxStreamsPerConnection", OptionTypes.integer(1, 4096),
      DEFAULT_MAX_STREAMS_PER_CONNECTION, "concurrent streams per connection");
  static final Option<Duration> REQUEST_TIMEOUT = SPEC.option("requestTimeout", OptionTypes.duration(), DEFAULT_REQUEST_TIMEOUT,
      "Vespa's timeout parameter on every request");
  static final Option<Integer> MAX_INFLIGHT = SPEC.computed("maxInflight", OptionTypes.integer(1, 65_536),
      "connections × maxStreamsPerConnection", o -> o.getConnections() * o.getMaxStreamsPerConnection(),
      "upper bound of the adaptive in-flight limit");
  static final Option<Integer> MIN_INFLIGHT = SPEC.computed("minInflight", OptionTypes.integer(1, 65_536),
      DEFAULT_MIN_INFLIGHT + " (at most maxInflight)", o -> Math.min(DEFAULT_MIN_INFLIGHT, o.getMaxInflight()),
      "lower bound of the adaptive in-flight limit");
  static final Option<Integer> INITIAL_INFLIGHT = SPEC.computed("initialInflight", OptionTypes.integer(1, 65_536),
      DEFAULT_INITIAL_INFLIGHT + " (within the bounds)", o -> Math.max(o.getMinInflight(), Math.min(DEFAULT_INITIAL_INFLIGHT, o.getMaxInflight())),
      "where the adaptive in-flight limit starts");
  static final Option<Duration> CIRCUIT_BREAKER_GRACE = SPEC.option("circuitBreakerGrace", OptionTypes.duration(),
      DEFAULT_CIRCUIT_BREAKER_GRACE, "how long Vespa may keep failing before the circuit breaker opens");
  static final Option<Duration> CIRCUIT_BREAKER_PROBE_INTERVAL = SPEC.option("circuitBreakerProbeInterval", OptionTypes.duration(),
      DEFAULT_CIRCUIT_BREAKER_PROBE_INTERVAL, "one probe per interval while the breaker is open");
  static final Option<Duration> MIN_BACKOFF = SPEC.option("minBackoff", OptionTypes.duration(), DEFAULT_MIN_BACKOFF,
      "first retry delay (exponential, jittered)");
  static final Option<Duration> MAX_BACKOFF = SPEC.option("maxBackoff", OptionTypes.duration(), DEFAULT_MAX_BACKOFF,
      "longest retry delay");
  static final Option<Integer> COMPRESS_ABOVE_BYTES = SPEC.option("compressAboveBytes", OptionTypes.integer(-1, Integer.MAX_VALUE),
      DEFAULT_COMPRESS_ABOVE_BYTES, "gzip request bodies larger than this (-1: never)");
  static final Option<Boolean> COALESCE_UPDATES = SPEC.option("coalesceUpdates", OptionTypes.bool(), true,
      "field-assign updates of one document waiting for their turn go as one request (later values win)");
  static final Option<String> CERTIFICATE = SPEC.optional("certificate", OptionTypes.nonBlank(),
      "mTLS client certificate (PEM file), as Vespa Cloud's data plane requires");
  static final Option<String> PRIVATE_KEY = SPEC.optional("privateKey", OptionTypes.nonBlank(), "the client certificate's private key (PEM file)");
  static final Option<String> CA_CERTIFICATES = SPEC.optional("caCertificates", OptionTypes.nonBlank(),
      "CA certificates to trust (PEM file) instead of the JVM's");
  static final Option<String> BEARER_TOKEN = SPEC.secret("bearerToken", "Vespa Cloud data-plane token (Authorization: Bearer); set it from the environment");

  static {
    SPEC.rule(o -> {
      if (o.getMinInflight() > o.getMaxInflight()) {
        throw new ConfigException(o.key("minInflight"), "must be within [1, maxInflight=" + o.getMaxInflight() + "], was " + o.getMinInflight());
      }
      if (o.getInitialInflight() < o.getMinInflight() || o.getInitialInflight() > o.getMaxInflight()) {
        throw new ConfigException(o.key("initialInflight"), "must be within [minInflight=" + o.getMinInflight() + ", maxInflight="
            + o.getMaxInflight() + "], was " + o.getInitialInflight());
      }
      if ((o.getCertificate() == null) != (o.getPrivateKey() == null)) {
        throw new ConfigException(o.key(o.getCertificate() == null ? "certificate" : "privateKey"),
            "mTLS needs both certificate and privateKey (PEM files)");
      }
      if (o.getCertificate() != null && !o.getEndpoint().startsWith("https://")) {
        throw new ConfigException(o.key("certificate"), "a client certificate needs an https:// endpoint, was " + o.getEndpoint());
      }
      if (o.getMaxBackoff().compareTo(o.getMinBackoff()) < 0) {
        throw new ConfigException(o.key("maxBackoff"), "must not be shorter than minBackoff (" + Durations.format(o.getMinBackoff()) + ")");
      }
    });
  }

  public VespaFeedOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public VespaFeedOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public VespaFeedOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
  }

  /** @return {@code http2}, {@code http1} or {@code auto} */
  public String getProtocol() {
    return get(PROTOCOL);
  }

  public VespaFeedOptions setProtocol(String protocol) {
    return set(PROTOCOL, protocol);
  }

  /** @return {@code netty} or {@code vertx}: the HTTP/2 client ({@link VespaTransports}) */
  public String getTransport() {
    return get(TRANSPORT);
  }

  public VespaFeedOptions setTransport(String transport) {
    return set(TRANSPORT, transport);
  }

  public int getConnections() {
    return get(CONNECTIONS);
  }

  public VespaFeedOptions setConnections(int connections) {
    return set(CONNECTIONS, connections);
  }

  public int getMaxStreamsPerConnection() {
    return get(MAX_STREAMS_PER_CONNECTION);
  }

  public VespaFeedOptions setMaxStreamsPerConnection(int maxStreamsPerConnection) {
    return set(MAX_STREAMS_PER_CONNECTION, maxStreamsPerConnection);
  }

  public Duration getRequestTimeout() {
    return get(REQUEST_TIMEOUT);
  }

  public VespaFeedOptions setRequestTimeout(Duration requestTimeout) {
    return set(REQUEST_TIMEOUT, requestTimeout);
  }

  public int getMaxInflight() {
    return get(MAX_INFLIGHT);
  }

  /** Sets the highest in-flight limit; the lowest and initial limits follow it unless set. */
  public VespaFeedOptions setMaxInflight(int maxInflight) {
    return set(MAX_INFLIGHT, maxInflight);
  }

  public int getMinInflight() {
    return get(MIN_INFLIGHT);
  }

  public VespaFeedOptions setMinInflight(int minInflight) {
    return set(MIN_INFLIGHT, minInflight);
  }

  public int getInitialInflight() {
    return get(INITIAL_INFLIGHT);
  }

  public VespaFeedOptions setInitialInflight(int initialInflight) {
    return set(INITIAL_INFLIGHT, initialInflight);
  }

  public Duration getCircuitBreakerGrace() {
    return get(CIRCUIT_BREAKER_GRACE);
  }

  public VespaFeedOptions setCircuitBreakerGrace(Duration circuitBreakerGrace) {
    return set(CIRCUIT_BREAKER_GRACE, circuitBreakerGrace);
  }

  public Duration getCircuitBreakerProbeInterval() {
    return get(CIRCUIT_BREAKER_PROBE_INTERVAL);
  }

  public VespaFeedOptions setCircuitBreakerProbeInterval(Duration circuitBreakerProbeInterval) {
    return set(CIRCUIT_BREAKER_PROBE_INTERVAL, circuitBreakerProbeInterval);
  }

  public String getCertificate() {
    return get(CERTIFICATE);
  }

  public VespaFeedOptions setCertificate(String certificate) {
    return set(CERTIFICATE, certificate);
  }

  public String getPrivateKey() {
    return get(PRIVATE_KEY);
  }

  public VespaFeedOptions setPrivateKey(String privateKey) {
    return set(PRIVATE_KEY, privateKey);
  }

  public String getCaCertificates() {
    return get(CA_CERTIFICATES);
  }

  public VespaFeedOptions setCaCertificates(String caCertificates) {
    return set(CA_CERTIFICATES, caCertificates);
  }

  public Duration getMinBackoff() {
    return get(MIN_BACKOFF);
  }

  public VespaFeedOptions setMinBackoff(Duration minBackoff) {
    return set(MIN_BACKOFF, minBackoff);
  }

  public Duration getMaxBackoff() {
    return get(MAX_BACKOFF);
  }

  public VespaFeedOptions setMaxBackoff(Duration maxBackoff) {
    return set(MAX_BACKOFF, maxBackoff);
  }

  public boolean isCoalesceUpdates() {
    return get(COALESCE_UPDATES);
  }

  public VespaFeedOptions setCoalesceUpdates(boolean coalesceUpdates) {
    return set(COALESCE_UPDATES, coalesceUpdates);
  }

  public int getCompressAboveBytes() {
    return get(COMPRESS_ABOVE_BYTES);
  }

  public VespaFeedOptions setCompressAboveBytes(int compressAboveBytes) {
    return set(COMPRESS_ABOVE_BYTES, compressAboveBytes);
  }

  public String getBearerToken() {
    return get(BEARER_TOKEN);
  }

  public VespaFeedOptions setBearerToken(String bearerToken) {
    return set(BEARER_TOKEN, bearerToken);
  }
}
