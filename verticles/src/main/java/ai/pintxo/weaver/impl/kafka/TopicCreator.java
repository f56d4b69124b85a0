package ai.pintxo.weaver.impl.kafka;

import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a verticle reads or writes when they are missing, so a fresh broker works on
 * first start (the original crashed there). Existing topics are left as they are.
 */
public final class TopicCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
  private static final long LEADER_WAIT_NANOS = 60_000_000_000L;

  private TopicCreator() {
  }

  /**
   * @param vertx   the Vert.x instance
   * @param options the Kafka options (servers, partitions, replication)
   * @param topics  the topic names
   * @return completes when every topic exists
   */
  public static Future<Void> ensure(Vertx vertx, KafkaOptions options, Collection<String> topics) {
    return ensure(vertx, options, topics, java.util.Map.of());
  }

  /**
   * Creates a compacted topic when it is missing: Kafka keeps the latest record of each key, so the
   * topic holds state (one value per key) that a restarted reader can load whole.
   *
   * @param vertx   the Vert.x instance
   * @param options the Kafka options (servers, partitions, replication)
   * @param topic   the topic name
   * @return completes when the topic exists
   */
  public static Future<Void> ensureCompacted(Vertx vertx, KafkaOptions options, String topic) {
    return ensure(vertx, options, List.of(topic), java.util.Map.of("cleanup.policy", "compact"));
  }

  private static Future<Void> ensure(Vertx vertx, KafkaOptions options, Collection<String> topics,
                                     java.util.Map<String, String> topicConfig) {
    if (!options.isCreateTopics() || topics.isEmpty()) {
      return Future.succeededFuture();
    }
    // The native admin client connects in its constructor: create it on a worker.
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, options.clientConfig()))
        .compose(admin -> ensure(admin, options, topics, topicConfig)
            .compose(v -> leadersElected(vertx, admin, List.copyOf(topics), System.nanoTime() + LEADER_WAIT_NANOS))
            .eventually(admin::close));
  }

  /**
   * Waits until every partition has a leader. Producing to a topic created a moment ago otherwise
   * meets NOT_LEADER_OR_FOLLOWER, and an idempotent producer retrying through that can wedge on an
   * out-of-order sequence until its delivery timeout.
   */
  private static Future<Void> leadersElected(Vertx vertx, KafkaAdminClient admin, List<String> topics, long deadlineNanos) {
    return admin.describeTopics(topics).compose(descriptions -> {
      boolean ready = descriptions.size() == topics.size() && descriptions.values().stream()
          .allMatch(d -> !d.getPartitions().isEmpty() && d.getPartitions().stream()
              .allMatch(p -> p.getLeader() != null && p.getLeader().getId() >= 0));
      if (ready) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadlineNanos) {
        return Future.failedFuture(new IllegalStateException("partitions of " + topics + " have no leader after "
            + LEADER_WAIT_NANOS / 1_000_000_000 + " s"));
      }
      io.vertx.core.Promise<Void> retry = io.vertx.core.Promise.promise();
      vertx.setTimer(100, t -> leadersElected(vertx, admin, topics, deadlineNanos).onComplete(retry));
      return retry.future();
    }, err -> {
      if (System.nanoTime() > deadlineNanos) {
        return Future.failedFuture(err);
      }
      io.vertx.core.Promise<Void> retry = io.vertx.core.Promise.promise();
      vertx.setTimer(100, t -> leadersElected(vertx, admin, topics, deadlineNanos).onComplete(retry));
      return retry.future();
    });
  }

  private static Future<Void> ensure(KafkaAdminClient admin, KafkaOptions options, Collection<String> topics,
                                     java.util.Map<String, String> topicConfig) {
    return admin.listTopics()
        .compose(existing -> {
          Set<String> missing = new TreeSet<>(topics);
          missing.removeAll(existing);
          if (missing.isEmpty()) {
            return Future.<Void>succeededFuture();
          }
          List<NewTopic> create = missing.stream()
              .map(name -> new NewTopic(name, options.getTopicPartitions(), options.getReplicationFactor())
                  .setConfig(topicConfig))
              .toList();
          return admin.createTopics(create)
              .onSuccess(v -> LOG.atInfo().addKeyValue("topics", missing).addKeyValue("partitions", options.getTopicPartitions())
                  .log("kafka.topics.created"))
              .recover(err -> isExists(err) ? Future.succeededFuture() : Future.failedFuture(err));
        });
  }

  private static boolean isExists(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
