package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Configuration of {@link RealtimeSourceVerticle}: Kafka, the streams, and the connection budget per host. */
public final class RealtimeSourceOptions {

  public static final int DEFAULT_REQUESTS_PER_PERIOD = 30;
  public static final Duration DEFAULT_REQUEST_PERIOD = Duration.ofSeconds(10);

  private KafkaOptions kafka = new KafkaOptions();
  private List<RealtimeStreamOptions> streams = new ArrayList<>();
  private int requestsPerPeriod = DEFAULT_REQUESTS_PER_PERIOD;
  private Duration requestPeriod = DEFAULT_REQUEST_PERIOD;

  public RealtimeSourceOptions() {
  }

  /** @throws ConfigException naming the bad key */
  public RealtimeSourceOptions(JsonObject json) {
    this(ConfigReader.of(json, "config"));
  }

  /** @throws ConfigException naming the bad key */
  public RealtimeSourceOptions(ConfigReader config) {
    ConfigReader kafkaConfig = config.object("kafka");
    kafka = new KafkaOptions(kafkaConfig);
    kafkaConfig.finish();
    Set<String> names = new HashSet<>();
    List<ConfigReader> entries = config.objects("streams");
    for (int i = 0; i < entries.size(); i++) {
      RealtimeStreamOptions stream = new RealtimeStreamOptions(entries.get(i));
      if (!names.add(stream.getName())) {
        throw new ConfigException(config.key("streams") + "[" + i + "].name", "duplicate stream name '" + stream.getName() + "'");
      }
      streams.add(stream);
    }
    if (streams.isEmpty()) {
      throw new ConfigException(config.key("streams"), "no streams configured");
    }
    requestsPerPeriod = config.integer("requestsPerPeriod", DEFAULT_REQUESTS_PER_PERIOD, 1, 100_000);
    requestPeriod = config.duration("requestPeriod", DEFAULT_REQUEST_PERIOD);
    config.finish();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    streams.forEach(s -> list.add(s.toJson()));
    return new JsonObject().put("kafka", kafka.toJson()).put("streams", list)
        .put("requestsPerPeriod", requestsPerPeriod).put("requestPeriod", Durations.format(requestPeriod));
  }

  public KafkaOptions getKafka() {
    return kafka;
  }

  public RealtimeSourceOptions setKafka(KafkaOptions kafka) {
    this.kafka = kafka;
    return this;
  }

  public List<RealtimeStreamOptions> getStreams() {
    return streams;
  }

  public RealtimeSourceOptions addStream(RealtimeStreamOptions stream) {
    streams.add(stream);
    return this;
  }

  public int getRequestsPerPeriod() {
    return requestsPerPeriod;
  }

  public Duration getRequestPeriod() {
    return requestPeriod;
  }

  public RealtimeSourceOptions setRequestBudget(int requests, Duration period) {
    this.requestsPerPeriod = requests;
    this.requestPeriod = period;
    return this;
  }
}
