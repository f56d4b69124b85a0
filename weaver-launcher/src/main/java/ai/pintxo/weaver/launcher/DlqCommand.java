package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code weaver dlq replay <topic>}: after a fix (a schema field added, a processor corrected),
 * puts the records of {@code <topic>.dlq} back on {@code <topic>} with their original key and value,
 * so the connector feeds them again. Replays what the group {@code weaver-dlq-replay} has not
 * replayed yet, up to the end of the dead-letter topic at start; {@code --stage} limits it to one
 * stage, and the letters of the other stages stay replayable; {@code --dry-run} only counts. Dead letters of the {@code poll} stage hold a raw response,
 * not a record: they are counted and skipped.
 */
final class DlqCommand implements Command {

  @Override
  public String name() {
    return "dlq";
  }

  @Override
  public String usage() {
    return "dlq replay <topic> [--stage S] [--dry-run] [--bootstrap-servers H:P] [--deployment F]   re-feed a topic's dead letters";
  }

  @Override
  public int run(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("replay") || args.size() < 2) {
      throw new IllegalArgumentException("usage: weaver " + usage());
    }
    String topic = args.get(1);
    String stage = null;
    String servers = null;
    String deploymentFile = null;
    boolean dryRun = false;
    for (int i = 2; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--stage" -> stage = args.get(++i);
        case "--dry-run" -> dryRun = true;
        case "--bootstrap-servers" -> servers = args.get(++i);
        case "--deployment" -> deploymentFile = args.get(++i);
        default -> throw new IllegalArgumentException("unknown option " + args.get(i));
      }
    }
    if (servers == null) {
      Deployment deployment = Deployment.load(DeploymentFiles.resolve(deploymentFile == null ? List.of() : List.of(deploymentFile)),
          System.getenv());
      // An embedded broker belongs to the running weaver: reach it on its port.
      servers = deployment.embeddedKafka() ? "127.0.0.1:" + deployment.embeddedPort() : deployment.kafka().getBootstrapServers();
    }
    Map<String, Long> replayed = replay(servers, topic, stage, dryRun);
    System.out.println((dryRun ? "would replay " : "replayed ") + replayed.getOrDefault("replayed", 0L) + " record(s) from "
        + topic + Topic.DEAD_LETTER_SUFFIX + " to " + topic + "; by stage " + replayed);
    return 0;
  }

  /**
   * Replays what the group {@code weaver-dlq-replay} has not replayed yet.
   *
   * <p>Why the bookkeeping: with {@code --stage}, the letters of other stages are skipped, not
   * replayed, so the group's offset must not move past them or they could never be replayed. Yet
   * the letters of the replayed stage that lie beyond the first skipped one must not be replayed a
   * second time either. So, per partition, the committed offset stops at the first letter still
   * waiting (of a stage not replayed), and the commit's metadata records, for each stage, up to
   * which offset its letters have already been replayed ({@link ReplayMark}). One group, one
   * commit per partition: a later replay of another stage, or of all stages, replays exactly the
   * letters nobody replayed before.
   *
   * @return counts: {@code replayed}, and per stage, and {@code skipped-poll}
   */
  static Map<String, Long> replay(String servers, String topic, String stage, boolean dryRun) {
    String dlq = topic + Topic.DEAD_LETTER_SUFFIX;
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put("bootstrap.servers", servers);
    consumerConfig.put("group.id", "weaver-dlq-replay");
    consumerConfig.put("enable.auto.commit", "false");
    consumerConfig.put("auto.offset.reset", "earliest");
    consumerConfig.put("client.id", "weaver-dlq-replay-" + UUID.randomUUID().toString().substring(0, 8));
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put("bootstrap.servers", servers);
    producerConfig.put("acks", "all");
    producerConfig.put("enable.idempotence", "true");
    producerConfig.put("max.in.flight.requests.per.connection", "1");
    Map<String, Long> counts = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(dlq, p.partition())).toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + dlq + " does not exist");
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, ReplayMark> marks = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata om = committed.get(tp);
        if (om != null) {
          consumer.seek(tp, om.offset());
        }
        marks.put(tp, ReplayMark.parse(om == null ? consumer.position(tp) : om.offset(), om == null ? "" : om.metadata(), stage));
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        List<Future<?>> acks = new ArrayList<>();
        java.util.Set<TopicPartition> touched = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(tp)) {
            continue; // dead letters written after the replay started wait for the next replay
          }
          touched.add(tp);
          ReplayMark mark = marks.get(tp);
          DeadLetter letter = DeadLetter.fromHeaders(record.headers()).orElse(null);
          String letterStage = letter == null ? "unknown" : letter.stage();
          if (letterStage.equals("poll")) {
            // never replayable (a raw response, not a record): it holds nothing back
            mark.scanned(record.offset());
            if (stage == null || stage.equals("poll")) {
              counts.merge("skipped-poll", 1L, Long::sum);
            }
            continue;
          }
          if (stage != null && !stage.equals(letterStage)) {
            mark.skipped(letterStage, record.offset());
            continue;
          }
          if (!mark.replayedBefore(letterStage, record.offset())) {
            counts.merge(letterStage, 1L, Long::sum);
            counts.merge("replayed", 1L, Long::sum);
            if (!dryRun) {
              acks.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
          }
          mark.scanned(record.offset());
        }
        for (Future<?> ack : acks) {
          ack.get();
        }
        if (!dryRun && !touched.isEmpty()) {
          Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
          touched.forEach(tp -> commit.put(tp, marks.get(tp).toCommit()));
          consumer.commitSync(commit);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("replay to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
    }
    return counts;
  }
}
