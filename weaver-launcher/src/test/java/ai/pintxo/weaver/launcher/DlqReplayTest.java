package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.feed.VespaFeedOptions;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents Vespa refused go to the dead-letter topic; after the fix, {@code weaver dlq replay} feeds them. */
class DlqReplayTest {

  @TempDir
  Path dir;

  @Test
  void replayFeedsTheDeadLettersOnceAfterTheFix() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      Vertx vertx = Vertx.vertx();
      try {
      VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
      vespa.faults().reject(id -> id.endsWith("7"), 400);
      KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
      probe.createTopics(List.of(Token.TOPIC.name(), Token.TOPIC.deadLetterTopic()), 2);
      List<byte[][]> records = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Token token = new Token("t" + i, "s", "Token " + i, null);
        records.add(new byte[][] {Token.TOPIC.keySerde().encode(token.key()), Token.TOPIC.encode(token)});
      }
      probe.produce(Token.TOPIC.name(), records);
      EngineConnectorOptions options = new EngineConnectorOptions()
          .setKafka(new KafkaOptions().setBootstrapServers(kafka.bootstrapServers()))
          .setTopics(List.of(Token.TOPIC.name())).setCommitInterval(Duration.ofMillis(200))
          .setVespa(new VespaFeedOptions().setEndpoint(vespa.endpoint()));
      Await.result(vertx.deployVerticle(() -> new EngineConnectorVerticle(options), new io.vertx.core.DeploymentOptions()));
      Await.until("90 fed, 10 dead-lettered", Duration.ofSeconds(60),
          () -> vespa.count("tokens") == 90 && probe.count(Token.TOPIC.deadLetterTopic()) == 10, vespa::counts);

      vespa.faults().clear(); // the fix
      Map<String, Long> dryRun = DlqCommand.replay(kafka.bootstrapServers(), Token.TOPIC.name(), null, true);
      assertThat(dryRun).containsEntry("replayed", 10L).containsEntry("feed", 10L);
      assertThat(vespa.count("tokens")).as("a dry run changes nothing").isEqualTo(90);

      Map<String, Long> replayed = DlqCommand.replay(kafka.bootstrapServers(), Token.TOPIC.name(), null, false);
      assertThat(replayed).containsEntry("replayed", 10L);
      Await.until("all 100 in Vespa", Duration.ofSeconds(60), () -> vespa.count("tokens") == 100, vespa::counts);
      assertThat(vespa.document("tokens", "t17").orElseThrow().getString("name")).isEqualTo("Token 17");
      assertThat(DlqCommand.replay(kafka.bootstrapServers(), Token.TOPIC.name(), null, false))
          .as("a second replay finds nothing new").doesNotContainKey("replayed");
      } finally {
        Await.result(vertx.close()); // before the broker stops: the connector commits on its way out
      }
    }
  }

  @Test
  void replayingOneStageLeavesTheOtherStagesLettersReplayable() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
      probe.createTopics(List.of("letters", "letters.dlq"), 2);
      // interleaved on each partition: a decode letter is followed by a feed letter, and a poll letter now and then
      List<String> stages = List.of("decode", "feed", "decode", "poll", "feed", "feed", "decode");
      List<String> decode = new ArrayList<>();
      List<String> feed = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
        for (int i = 0; i < 40; i++) {
          String stage = stages.get(i % stages.size());
          String value = stage + "-" + i;
          (stage.equals("decode") ? decode : stage.equals("feed") ? feed : new ArrayList<String>()).add(value);
          ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("letters.dlq", i % 2,
              ("k" + i).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
          new DeadLetter(stage, "broken", 0, new RecordOrigin("letters", i % 2, i), Instant.now()).toHeaders()
              .forEach(record.headers()::add);
          producer.send(record).get();
        }
      }

      assertThat(DlqCommand.replay(kafka.bootstrapServers(), "letters", "decode", false))
          .containsEntry("replayed", (long) decode.size()).containsEntry("decode", (long) decode.size()).doesNotContainKey("feed");
      assertThat(values(probe, "letters")).containsExactlyInAnyOrderElementsOf(decode);
      assertThat(DlqCommand.replay(kafka.bootstrapServers(), "letters", "decode", false))
          .as("the decode letters are replayed once").doesNotContainKey("replayed");

      assertThat(DlqCommand.replay(kafka.bootstrapServers(), "letters", "feed", false))
          .as("the feed letters skipped by the decode replay are still there")
          .containsEntry("replayed", (long) feed.size()).containsEntry("feed", (long) feed.size()).doesNotContainKey("decode");
      List<String> both = new ArrayList<>(decode);
      both.addAll(feed);
      assertThat(values(probe, "letters")).containsExactlyInAnyOrderElementsOf(both);

      assertThat(DlqCommand.replay(kafka.bootstrapServers(), "letters", null, false))
          .as("nothing is left for a replay of all stages").doesNotContainKey("replayed");
      assertThat(values(probe, "letters")).as("every letter of both stages replayed exactly once")
          .hasSize(both.size()).containsExactlyInAnyOrderElementsOf(both);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String servers) {
    Properties config = new Properties();
    config.put("bootstrap.servers", servers);
    config.put("acks", "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<String> values(KafkaProbe probe, String topic) {
    return probe.readAll(topic).stream().map(ConsumerRecord::value).map(v -> new String(v, StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }
}
