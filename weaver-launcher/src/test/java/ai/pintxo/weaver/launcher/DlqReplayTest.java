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
}
