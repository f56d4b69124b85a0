package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.cluster.ClusterOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Configuration of {@link RealtimeSourceVerticle}: Kafka, the streams, and the connection budget per host. */
public final class RealtimeSourceOptions extends Options<RealtimeSourceOptions> {

  public static final int DEFAULT_REQUESTS_PER_PERIOD = 30;
  public static final Duration DEFAULT_REQUEST_PERIOD = Duration.ofSeconds(10);

  public static final OptionSpec<RealtimeSourceOptions> SPEC = new OptionSpec<>("config",
      "RealtimeSourceVerticle: JSON streams (SSE or WebSocket) to topics of typed records", RealtimeSourceOptions::new);
  static final Option<KafkaOptions> KAFKA = KafkaOptions.declareIn(SPEC);
  static final Option<ClusterOptions> CLUSTER = ClusterOptions.declareIn(SPEC);
  static final Option<List<RealtimeStreamOptions>> STREAMS = SPEC.option("streams", OptionTypes.optionsList(RealtimeStreamOptions.SPEC),
      List.of(), "the streams");
  static final Option<Integer> REQUESTS_PER_PERIOD = SPEC.option("requestsPerPeriod", OptionTypes.integer(1, 100_000),
      DEFAULT_REQUESTS_PER_PERIOD, "connection attempts per host per requestPeriod");
  static final Option<Duration> REQUEST_PERIOD = SPEC.option("requestPeriod", OptionTypes.duration(), DEFAULT_REQUEST_PERIOD,
      "the period of the request budget");

  static {
    SPEC.rule(o -> {
      Set<String> names = new HashSet<>();
      List<RealtimeStreamOptions> streams = o.getStreams();
      for (int i = 0; i < streams.size(); i++) {
        if (!names.add(streams.get(i).getName())) {
          throw new ConfigException(o.key("streams") + "[" + i + "].name", "duplicate stream name '" + streams.get(i).getName() + "'");
        }
      }
      if (streams.isEmpty()) {
        throw new ConfigException(o.key("streams"), "no streams configured");
      }
    });
  }

  public RealtimeSourceOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public RealtimeSourceOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  public KafkaOptions getKafka() {
    return get(KAFKA);
  }

  /** @return how this pipeline shares its units with other processes */
  public ClusterOptions getCluster() {
    return get(CLUSTER);
  }

  public RealtimeSourceOptions setCluster(ClusterOptions cluster) {
    return set(CLUSTER, cluster);
  }

  public RealtimeSourceOptions setKafka(KafkaOptions kafka) {
    return set(KAFKA, kafka);
  }

  public List<RealtimeStreamOptions> getStreams() {
    return get(STREAMS);
  }

  public RealtimeSourceOptions addStream(RealtimeStreamOptions stream) {
    List<RealtimeStreamOptions> streams = new ArrayList<>(getStreams());
    streams.add(stream);
    return set(STREAMS, streams);
  }

  public int getRequestsPerPeriod() {
    return get(REQUESTS_PER_PERIOD);
  }

  public Duration getRequestPeriod() {
    return get(REQUEST_PERIOD);
  }

  public RealtimeSourceOptions setRequestBudget(int requests, Duration period) {
    set(REQUESTS_PER_PERIOD, requests);
    return set(REQUEST_PERIOD, period);
  }
}
