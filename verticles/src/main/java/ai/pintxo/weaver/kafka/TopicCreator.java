package ai.pintxo.weaver.kafka;

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

  private TopicCreator() {
  }

  /**
   * @param vertx   the Vert.x instance
   * @param options the Kafka options (servers, partitions, replication)
   * @param topics  the topic names
   * @return completes when every topic exists
   */
  public static Future<Void> ensure(Vertx vertx, KafkaOptions options, Collection<String> topics) {
    if (!options.isCreateTopics() || topics.isEmpty()) {
      return Future.succeededFuture();
    }
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, options.clientConfig());
    return admin.listTopics()
        .compose(existing -> {
          Set<String> missing = new TreeSet<>(topics);
          missing.removeAll(existing);
          if (missing.isEmpty()) {
            return Future.<Void>succeededFuture();
          }
          List<NewTopic> create = missing.stream()
              .map(name -> new NewTopic(name, options.getTopicPartitions(), options.getReplicationFactor()))
              .toList();
          return admin.createTopics(create)
              .onSuccess(v -> LOG.atInfo().addKeyValue("topics", missing).addKeyValue("partitions", options.getTopicPartitions())
                  .log("kafka.topics.created"))
              .recover(err -> isExists(err) ? Future.succeededFuture() : Future.failedFuture(err));
        })
        .eventually(admin::close);
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
