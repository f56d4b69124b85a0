package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.kafka.KafkaProbe;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's controller port is configurable like its broker port (a firewall or port plan needs it fixed). */
class EmbeddedControllerPortTest {

  @TempDir
  Path dir;

  @Test
  void theConfiguredControllerPortIsTheOneTheBrokerListensOn() throws Exception {
    int controllerPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      controllerPort = socket.getLocalPort();
    }
    Vertx emulators = Vertx.vertx();
    try {
      VespaEmulator vespa = Await.result(VespaEmulator.start(emulators, new VespaEmulatorOptions()));
      Files.writeString(dir.resolve("deployment.json"), """
          {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0, "controllerPort": %d}},
           "admin": {"enabled": false},
           "verticles": [{"name": "engine-connector", "verticle": "EngineConnectorVerticle",
              "config": {"topics": ["chains-api-topic"], "vespa": {"endpoint": "%s"}}}]}"""
          .formatted(controllerPort, vespa.endpoint()));
      Deployment deployment = Deployment.load(dir.resolve("deployment.json"), Map.of());
      assertThat(deployment.embeddedControllerPort()).isEqualTo(controllerPort);
      assertThat(deployment.effective().getJsonObject("kafka").getJsonObject("embedded").getInteger("controllerPort"))
          .isEqualTo(controllerPort);

      try (WeaverRuntime runtime = new WeaverRuntime()) {
        runtime.start(deployment);
        assertThat(runtime.kafka().controllerPort()).isEqualTo(controllerPort);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controllerPort)) {
          assertThat(socket.isConnected()).as("the controller listens on the configured port").isTrue();
        }
        KafkaProbe probe = new KafkaProbe(runtime.deployment().kafka().getBootstrapServers());
        probe.createTopics(List.of("controller-port-check"), 1);
        probe.produce("controller-port-check", List.<byte[][]>of(new byte[][] {"k".getBytes(), "v".getBytes()}));
        assertThat(probe.count("controller-port-check")).as("the broker works").isEqualTo(1);
      }
    } finally {
      Await.result(emulators.close());
    }
  }
}
