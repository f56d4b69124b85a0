package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Configuration of {@link HttpIngestVerticle}: where it listens, its limits, and its streams. */
public final class HttpIngestOptions extends Options<HttpIngestOptions> {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8088;
  public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_RECORDS = 1000;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);

  public static final OptionSpec<HttpIngestOptions> SPEC = new OptionSpec<>("config",
      "HttpIngestVerticle: POST /ingest/<stream> takes JSON records in, answered once Kafka acknowledged them", HttpIngestOptions::new);
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);
  static final Option<String> HOST = SPEC.option("host", OptionTypes.nonBlank(), DEFAULT_HOST,
      "the address to bind (0.0.0.0 to take requests from other hosts)");
  static final Option<Integer> PORT = SPEC.option("port", OptionTypes.integer(0, 65535), DEFAULT_PORT, "the port (0 picks a free one)");
  static final Option<Integer> MAX_BODY_SIZE = SPEC.option("maxBodySize", OptionTypes.integer(1024, 256 * 1024 * 1024),
      DEFAULT_MAX_BODY_SIZE, "bytes of a request body; a larger one is answered 413 without being read whole");
  static final Option<Integer> MAX_RECORDS = SPEC.option("maxRecordsPerRequest", OptionTypes.integer(1, 1_000_000), DEFAULT_MAX_RECORDS,
      "records in one request; more is answered 413 (at most maxPending)");
  static final Option<Integer> MAX_PENDING = SPEC.option("maxPending", OptionTypes.integer(2, 10_000_000),
      SourceSink.Settings.DEFAULT_MAX_PENDING, "records waiting for Kafka's acknowledgement before requests are answered 429");
  static final Option<Duration> RETRY_AFTER = SPEC.option("retryAfter", OptionTypes.duration(), DEFAULT_RETRY_AFTER,
      "the Retry-After of a 429 (rounded up to whole seconds)");
  static final Option<Duration> ACK_TIMEOUT = SPEC.option("ackTimeout", OptionTypes.duration(), DEFAULT_ACK_TIMEOUT,
      "the longest a request waits for Kafka's acknowledgement before it is answered 503 (its records are still sent)");
  static final Option<List<IngestStreamOptions>> STREAMS = SPEC.option("streams", OptionTypes.optionsList(IngestStreamOptions.SPEC),
      List.of(), "the streams");

  static {
    SPEC.rule(o -> {
      Set<String> names = new HashSet<>();
      List<IngestStreamOptions> streams = o.getStreams();
      for (int i = 0; i < streams.size(); i++) {
        if (!names.add(streams.get(i).getName())) {
          throw new ConfigException(o.key("streams") + "[" + i + "].name", "duplicate stream name '" + streams.get(i).getName() + "'");
        }
      }
      if (streams.isEmpty()) {
        throw new ConfigException(o.key("streams"), "no streams configured");
      }
      // A request is refused before it is produced in part: it must fit in the sink's headroom.
      if (o.getMaxRecordsPerRequest() > o.getMaxPending()) {
        throw new ConfigException(o.key("maxRecordsPerRequest"), "must be at most maxPending (" + o.getMaxPending() + "), was "
            + o.getMaxRecordsPerRequest());
      }
    });
  }

  public HttpIngestOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public HttpIngestOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  public HttpIngestOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }

  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public HttpIngestOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public String getHost() {
    return get(HOST);
  }

  public HttpIngestOptions setHost(String host) {
    return set(HOST, host);
  }

  public int getPort() {
    return get(PORT);
  }

  public HttpIngestOptions setPort(int port) {
    return set(PORT, port);
  }

  public int getMaxBodySize() {
    return get(MAX_BODY_SIZE);
  }

  public HttpIngestOptions setMaxBodySize(int bytes) {
    return set(MAX_BODY_SIZE, bytes);
  }

  public int getMaxRecordsPerRequest() {
    return get(MAX_RECORDS);
  }

  public HttpIngestOptions setMaxRecordsPerRequest(int records) {
    return set(MAX_RECORDS, records);
  }

  public int getMaxPending() {
    return get(MAX_PENDING);
  }

  public HttpIngestOptions setMaxPending(int records) {
    return set(MAX_PENDING, records);
  }

  public Duration getRetryAfter() {
    return get(RETRY_AFTER);
  }

  public HttpIngestOptions setRetryAfter(Duration retryAfter) {
    return set(RETRY_AFTER, retryAfter);
  }

  public Duration getAckTimeout() {
    return get(ACK_TIMEOUT);
  }

  public HttpIngestOptions setAckTimeout(Duration ackTimeout) {
    return set(ACK_TIMEOUT, ackTimeout);
  }

  public List<IngestStreamOptions> getStreams() {
    return get(STREAMS);
  }

  public HttpIngestOptions addStream(IngestStreamOptions stream) {
    List<IngestStreamOptions> streams = new ArrayList<>(getStreams());
    streams.add(stream);
    return set(STREAMS, streams);
  }
}
