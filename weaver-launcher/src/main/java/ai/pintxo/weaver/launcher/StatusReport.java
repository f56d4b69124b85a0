package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.codecs.DeadLetter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code GET /status.json} answers and the status page draws: the pipelines as {@code /pipelines}
 * shows them, and the feeder, topic and dead-letter numbers of {@code /metrics}, read from the same
 * registry. Counters are totals since this process started; rates and latency percentiles over the
 * last minute are the page's, from the difference of two readings.
 *
 * @param time        when it was read
 * @param ready       what {@code /ready} says
 * @param problems    what keeps the process from being ready
 * @param pipelines   every pipeline, in file order
 * @param feeders     the engine connector's feeders (one per verticle instance)
 * @param feed        the feeders' totals
 * @param topics      records and documents by Kafka topic
 * @param deadLetters dead letters written by this process, by topic and stage
 * @param latest      the newest dead letters in the dead-letter topics (of the whole group), newest first
 */
record StatusReport(Instant time, boolean ready, List<String> problems, List<PipelineView> pipelines, List<Feeder> feeders, Feed feed,
                    List<TopicFlow> topics, List<DeadLetterCount> deadLetters, List<LatestDeadLetter> latest) {

  /**
   * One feeder's gauges.
   *
   * @param instance    the {@code verticle_instance} tag
   * @param limit       the adaptive in-flight limit
   * @param inflight    operations sent and not answered
   * @param queued      operations waiting for a slot or a retry
   * @param circuitOpen whether its circuit breaker is open
   * @param blocked     whether Vespa refuses writes (507)
   */
  record Feeder(String instance, long limit, long inflight, long queued, boolean circuitOpen, boolean blocked) {
    JsonObject toJson() {
      return new JsonObject().put("instance", instance).put("limit", limit).put("inflight", inflight).put("queued", queued)
          .put("circuitOpen", circuitOpen).put("blocked", blocked);
    }
  }

  /**
   * @param attempts HTTP attempts answered by Vespa
   * @param retries  attempts retried, by status ({@code 429}, {@code 503}, …, {@code transport})
   * @param latency  the attempt latency histogram, cumulative since start
   */
  record Feed(long attempts, Map<String, Long> retries, List<LatencyBucket> latency) {
    JsonObject toJson() {
      JsonArray buckets = new JsonArray();
      latency.forEach(b -> buckets.add(new JsonArray().add(b.le()).add(b.count())));
      return new JsonObject().put("attempts", attempts).put("retries", new JsonObject(Map.copyOf(retries))).put("latency", buckets);
    }
  }

  /**
   * @param le    the bucket's upper bound in seconds
   * @param count attempts that took at most {@code le}, since start
   */
  record LatencyBucket(double le, long count) {
  }

  /**
   * @param topic    the Kafka topic
   * @param produced records this process's sources had acknowledged by Kafka on it, or null when none of them counts it
   * @param fed      documents from it Vespa acknowledged
   * @param rejected documents from it Vespa refused for good
   * @param lag      records the connector's group has not committed yet (it commits what Vespa acknowledged), or null when unknown
   */
  record TopicFlow(String topic, Long produced, long fed, long rejected, Long lag) {
    JsonObject toJson() {
      return new JsonObject().put("topic", topic).put("produced", produced).put("fed", fed).put("rejected", rejected).put("lag", lag);
    }
  }

  /**
   * @param topic the topic whose records failed ({@code <topic>.dlq} holds them)
   * @param stage where they failed
   * @param count dead letters this process wrote
   */
  record DeadLetterCount(String topic, String stage, long count) {
    JsonObject toJson() {
      return new JsonObject().put("topic", topic).put("stage", stage).put("count", count);
    }
  }

  /**
   * @param topic  the topic the record belonged to
   * @param letter why it failed, from the dead letter's headers
   */
  record LatestDeadLetter(String topic, DeadLetter letter) {
    JsonObject toJson() {
      return new JsonObject().put("topic", topic).put("stage", letter.stage()).put("error", letter.error()).put("status", letter.status())
          .put("origin", letter.origin().toString()).put("time", letter.time().toString());
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("time", time.toString()).put("ready", ready).put("problems", new JsonArray(problems))
        .put("pipelines", array(pipelines, PipelineView::toJson)).put("feeders", array(feeders, Feeder::toJson)).put("feed", feed.toJson())
        .put("topics", array(topics, TopicFlow::toJson)).put("deadLetters", array(deadLetters, DeadLetterCount::toJson))
        .put("latestDeadLetters", array(latest, LatestDeadLetter::toJson));
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> toJson) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(toJson.apply(item)));
    return array;
  }
}
