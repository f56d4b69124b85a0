package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application of its own deploys EngineConnectorVerticle on a plain Vert.x instance, configured
 * with JSON as any Vert.x verticle, without the weaver's launcher.
 */
class EmbeddedConnectorTest {

  @Test
  void plainVertxApplicationFeedsVespa() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("weaver-embed"), 0).start()) {
      Vertx vertx = Vertx.vertx();
      try {
        VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
        List<byte[][]> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          Token token = new Token("token " + i, "t" + i, "Token #" + i, null);
          records.add(new byte[][] {Token.TOPIC.keySerde().encode(token.key()), Token.TOPIC.encode(token)});
        }
        KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
        probe.createTopics(List.of(Token.TOPIC.name()), 2);
        probe.produce(Token.TOPIC.name(), records);

        JsonObject config = new JsonObject()
            .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()))
            .put("groupId", "my-app")
            .put("topics", new JsonArray().add(Token.TOPIC.name()))
            .put("vespa", new JsonObject().put("endpoint", vespa.endpoint()));
        String id = Await.result(vertx.deployVerticle(new EngineConnectorVerticle(), new DeploymentOptions().setConfig(config)));

        Await.until("100 tokens in Vespa", Duration.ofSeconds(60), () -> vespa.count("tokens") == 100, vespa::counts);
        assertThat(vespa.document("tokens", "token 42").orElseThrow().getString("name")).isEqualTo("Token #42");
        Await.until("offsets committed for the application's group", Duration.ofSeconds(30),
            () -> probe.lag("my-app", List.of(Token.TOPIC.name())) == 0, () -> probe.committed("my-app"));
        Await.result(vertx.undeploy(id));
      } finally {
        Await.result(vertx.close());
      }
    }
  }

  @Test
  void badJsonConfigFailsTheDeploymentNamingTheKey() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("kafka", new JsonObject().put("bootstrapServers", "127.0.0.1:1"))
          .put("vespa", new JsonObject().put("endpoint", "localhost:8080"));
      Throwable failure = vertx.deployVerticle(new EngineConnectorVerticle(), new DeploymentOptions().setConfig(config))
          .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();
      assertThat(failure).hasMessageContaining("vespa.endpoint").hasMessageContaining("must be an absolute http:// or https:// URL");
    } finally {
      Await.result(vertx.close());
    }
  }
}
