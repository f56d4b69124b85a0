package ai.pintxo.weaver.cluster;

import ai.pintxo.weaver.kafka.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewPartitions;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic whose partitions stand for a pipeline's units: partition i is the i-th unit in sorted
 * order, so Kafka's partition assignment is the unit assignment. It carries no records; a pipeline
 * that gains units gains partitions (Kafka cannot remove any: partitions past the last unit stand
 * for nothing).
 */
final class UnitTopic {

  private static final Logger LOG = LoggerFactory.getLogger(UnitTopic.class);

  private UnitTopic() {
  }

  /** @return the topic's name for a pipeline of a group */
  static String name(String group, String pipeline) {
    return group + ".units." + pipeline.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** @return completes when the topic exists with at least {@code units} partitions */
  static Future<Void> ensure(Vertx vertx, KafkaOptions options, String topic, int units) {
    int partitions = Math.max(1, units);
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, options.clientConfig()))
        .compose(admin -> admin.describeTopics(List.of(topic))
            .compose(existing -> {
              int have = existing.get(topic).getPartitions().size();
              if (have >= partitions) {
                return Future.<Void>succeededFuture();
              }
              LOG.atInfo().addKeyValue("topic", topic).addKeyValue("from", have).addKeyValue("to", partitions).log("units.topic_grown");
              return admin.createPartitions(Map.of(topic, new NewPartitions().setTotalCount(partitions)));
            }, missing -> admin.createTopics(List.of(new NewTopic(topic, partitions, options.getReplicationFactor())
                    .setConfig(Map.of("cleanup.policy", "compact"))))
                .recover(err -> err instanceof TopicExistsException || err.getCause() instanceof TopicExistsException
                    ? Future.succeededFuture() : Future.failedFuture(err)))
            .eventually(admin::close));
  }
}
