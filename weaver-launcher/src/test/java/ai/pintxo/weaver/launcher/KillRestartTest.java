package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.RecoveryClock;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine connector runs in a JVM of its own ({@code weaver run}) and is killed with SIGKILL
 * mid-run: every committed offset was acknowledged by Vespa; started again, it finishes, and every
 * document holds the last value produced for it. Prints the recovery time (RELIABILITY.md): from the
 * restart to the first document written, and to every record committed.
 */
class KillRestartTest {

  static final int DOCUMENTS = 10_000;
  static final int UPDATES = 60_000;

  @TempDir
  Path dir;

  @Test
  void sigkillMidRunLosesNothingAndLastValuesWin() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0).start()) {
      Vertx vertx = Vertx.vertx();
      try {
      VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
      vespa.faults().latency(1, 6); // slow enough to be killed mid-run
      KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
      probe.createTopics(List.of(Token.TOPIC.name()), 4);
      List<byte[][]> records = new ArrayList<>();
      Map<String, Integer> last = new HashMap<>();
      for (int seq = 0; seq < UPDATES; seq++) {
        String id = "doc-" + (seq * 7919L % DOCUMENTS);
        records.add(new byte[][] {Token.TOPIC.keySerde().encode(id), Token.TOPIC.encode(new Token(id, "s", Integer.toString(seq), null))});
        last.put(id, seq);
      }
      probe.produce(Token.TOPIC.name(), records);
      Path deployment = dir.resolve("deployment.json");
      Files.writeString(deployment, """
          {"kafka": {"bootstrapServers": "%s"},
           "admin": {"enabled": false},
           "verticles": [{"name": "engine-connector", "verticle": "EngineConnectorVerticle",
             "config": {"groupId": "kill-test", "topics": ["tokens-api-topic"], "commitInterval": "200ms",
                        "vespa": {"endpoint": "%s", "maxInflight": 32, "coalesceUpdates": false}}}]}""".formatted(kafka.bootstrapServers(), vespa.endpoint()));

      Process first = weaverRun(deployment, dir.resolve("first.log"));
      // Every update is its own write here (coalescing off), so the run lasts long enough to be killed in;
      // progress is read from the committed offsets.
      java.util.function.LongSupplier committedSoFar = () -> probe.committed("kill-test").values().stream().mapToLong(Long::longValue).sum();
      Await.until("a third of the updates committed", Duration.ofSeconds(120), () -> committedSoFar.getAsLong() >= UPDATES / 3,
          committedSoFar::getAsLong);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long appliedAtKill = vespa.operationsApplied();
      assertThat(probe.lag("kill-test", List.of(Token.TOPIC.name()))).as("killed mid-run").isPositive();

      Map<TopicPartition, Long> committed = probe.committed("kill-test");
      assertThat(committed).as("it had committed progress before the kill").isNotEmpty();
      long covered = 0;
      for (ConsumerRecord<byte[], byte[]> record : probe.readAll(Token.TOPIC.name())) {
        if (record.offset() < committed.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
          covered++;
          Token token = Token.TOPIC.decode(record.value(), record.partition(), record.offset());
          int stored = vespa.document("tokens", token.id()).map(d -> Integer.parseInt(d.getString("name"))).orElse(-1);
          assertThat(stored).as("committed offset %d of partition %d: Vespa holds %s at that update or a later one",
              record.offset(), record.partition(), token.id()).isGreaterThanOrEqualTo(Integer.parseInt(token.name()));
        }
      }
      assertThat(covered).isPositive();

      RecoveryClock clock = RecoveryClock.on(vespa).arm((type, id, fields) -> true);
      Process second = weaverRun(deployment, dir.resolve("second.log"));
      clock.faultEnded(); // the restart: recovery includes the new JVM's start
      try {
        Await.until("everything committed after the restart", Duration.ofSeconds(180),
            () -> probe.lag("kill-test", List.of(Token.TOPIC.name())) == 0, () -> probe.lag("kill-test", List.of(Token.TOPIC.name())));
        clock.drained();
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(vespa.count("tokens")).isEqualTo(DOCUMENTS);
      List<String> wrong = new ArrayList<>();
      last.forEach((id, seq) -> {
        String stored = vespa.document("tokens", id).map(d -> d.getString("name")).orElse(null);
        if (!Integer.toString(seq).equals(stored)) {
          wrong.add(id + "=" + stored + " (last " + seq + ")");
        }
      });
      assertThat(wrong).as("documents not holding their last value").isEmpty();
      System.out.println(clock.report("SIGKILL of the weaver, restarted at once (Vespa emulator at 1-6 ms per write)"));
      System.out.printf("kill/restart: %,d updates, %,d Vespa writes before SIGKILL, %,d records covered by committed offsets at the kill, "
          + "%,d Vespa writes in all%n", UPDATES, appliedAtKill, covered,
          vespa.operationsApplied());
      } finally {
        Await.result(vertx.close()); // before the broker stops: the connector commits on its way out
      }
    }
  }

  private static Process weaverRun(Path deployment, Path log) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), Weaver.class.getName(), "run", deployment.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
