package ai.pintxo.weaver.kafka;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import java.util.Map;

/**
 * How the records of a topic travel through Kafka and the feeder: {@code throughput} (the default:
 * the producer batches for 5 ms, the consumer's fetch waits up to Kafka's 500 ms, the feeder sends in
 * arrival order) or {@code latency} for topics of live values such as prices (no producer batching, a
 * short fetch wait, and the feeder sends a waiting record of the topic before bulk work). The
 * settings are defaults: a key set in {@code kafka.properties} wins.
 */
public enum TopicProfile {
  THROUGHPUT(Map.of("linger.ms", "5"), Map.of()),
  /**
   * {@code linger.ms=0}: a record is sent as soon as the producer's one request in flight allows (records
   * that arrive meanwhile still share the next request); {@code fetch.max.wait.ms=10} bounds how long
   * the broker holds a fetch of an idle partition, at the cost of up to 100 empty fetches a second.
   */
  LATENCY(Map.of("linger.ms", "0"), Map.of("fetch.max.wait.ms", "10"));

  private final Map<String, String> producer;
  private final Map<String, String> consumer;

  TopicProfile(Map<String, String> producer, Map<String, String> consumer) {
    this.producer = producer;
    this.consumer = consumer;
  }

  /** @return the producer settings of this profile */
  public Map<String, String> producerSettings() {
    return producer;
  }

  /** @return the consumer settings of this profile */
  public Map<String, String> consumerSettings() {
    return consumer;
  }

  /** Declares a source's {@code profile} option: the profile of the topics it writes. */
  public static Option<TopicProfile> declareIn(OptionSpec<?> spec, TopicProfile defaultValue) {
    return spec.option("profile", OptionTypes.lowerCaseEnum(TopicProfile.class), defaultValue,
        "how its topic travels: throughput (producer batches 5 ms) or latency (no batching; the connector fetches "
            + "and feeds it first when it lists the topic in latencyTopics); kafka.properties wins");
  }
}
