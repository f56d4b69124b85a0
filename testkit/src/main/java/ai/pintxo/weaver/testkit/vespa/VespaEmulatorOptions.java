package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.json.JsonObject;

/** Settings of a {@link VespaEmulator}. */
public final class VespaEmulatorOptions {

  /** Loopback only by default. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Real Vespa's container port; 0 picks a free port. */
  public static final int DEFAULT_PORT = 0;
  /** Real Vespa allows 512 concurrent HTTP/2 streams per connection. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 512;
  /** Real Vespa's default {@code max-document-size}, 100 MiB. */
  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 100L << 20;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int instances = 1;
  private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
  private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
  private boolean ignoreUndefinedFields;
  private boolean storeDocuments = true;
  private io.vertx.core.net.PemKeyCertOptions tlsKeyCert;
  private io.vertx.core.net.PemTrustOptions clientTrust;
  private String bearerToken;
  private VespaSchemas schemas;

  public VespaEmulatorOptions() {
  }

  public VespaEmulatorOptions(JsonObject json) {
    host = json.getString("host", DEFAULT_HOST);
    port = json.getInteger("port", DEFAULT_PORT);
    instances = json.getInteger("instances", 1);
    maxConcurrentStreams = json.getInteger("maxConcurrentStreams", DEFAULT_MAX_CONCURRENT_STREAMS);
    maxDocumentBytes = json.getLong("maxDocumentBytes", DEFAULT_MAX_DOCUMENT_BYTES);
    ignoreUndefinedFields = json.getBoolean("ignoreUndefinedFields", false);
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("instances", instances)
        .put("maxConcurrentStreams", maxConcurrentStreams).put("maxDocumentBytes", maxDocumentBytes)
        .put("ignoreUndefinedFields", ignoreUndefinedFields);
  }

  public String getHost() {
    return host;
  }

  public VespaEmulatorOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public VespaEmulatorOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within [0, 65535], was " + port);
    }
    this.port = port;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  /** Number of event loops serving requests. */
  public VespaEmulatorOptions setInstances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, was " + instances);
    }
    this.instances = instances;
    return this;
  }

  public int getMaxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  public VespaEmulatorOptions setMaxConcurrentStreams(int maxConcurrentStreams) {
    this.maxConcurrentStreams = maxConcurrentStreams;
    return this;
  }

  public long getMaxDocumentBytes() {
    return maxDocumentBytes;
  }

  public VespaEmulatorOptions setMaxDocumentBytes(long maxDocumentBytes) {
    this.maxDocumentBytes = maxDocumentBytes;
    return this;
  }

  public boolean isIgnoreUndefinedFields() {
    return ignoreUndefinedFields;
  }

  /** Like {@code <ignore-undefined-fields>true</ignore-undefined-fields>}: drop unknown fields instead of answering 400. */
  public VespaEmulatorOptions setIgnoreUndefinedFields(boolean ignoreUndefinedFields) {
    this.ignoreUndefinedFields = ignoreUndefinedFields;
    return this;
  }

  public boolean isStoreDocuments() {
    return storeDocuments;
  }

  /** False validates and answers as usual but keeps no documents: for benchmarks of millions of operations. */
  public VespaEmulatorOptions setStoreDocuments(boolean storeDocuments) {
    this.storeDocuments = storeDocuments;
    return this;
  }

  /** @return the server certificate, when the emulator serves HTTPS (HTTP/2 over ALPN) */
  public io.vertx.core.net.PemKeyCertOptions getTlsKeyCert() {
    return tlsKeyCert;
  }

  /**
   * Serves HTTPS like a Vespa Cloud endpoint; with {@code clientTrust}, requires a client
   * certificate it trusts (the data plane's mTLS).
   */
  public VespaEmulatorOptions setTls(io.vertx.core.net.PemKeyCertOptions keyCert, io.vertx.core.net.PemTrustOptions clientTrust) {
    this.tlsKeyCert = keyCert;
    this.clientTrust = clientTrust;
    return this;
  }

  public io.vertx.core.net.PemTrustOptions getClientTrust() {
    return clientTrust;
  }

  public String getBearerToken() {
    return bearerToken;
  }

  /** Requires {@code Authorization: Bearer <token>} on /document/v1, answering 401 otherwise (a Vespa Cloud token endpoint). */
  public VespaEmulatorOptions setBearerToken(String bearerToken) {
    this.bearerToken = bearerToken;
    return this;
  }

  /** @return the schemas to validate against; the weaver's own application package when unset */
  public VespaSchemas getSchemas() {
    return schemas == null ? VespaSchemas.fromClasspath() : schemas;
  }

  public VespaEmulatorOptions setSchemas(VespaSchemas schemas) {
    this.schemas = schemas;
    return this;
  }
}
