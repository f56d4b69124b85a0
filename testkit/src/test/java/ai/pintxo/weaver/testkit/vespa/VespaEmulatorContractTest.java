package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.Vertx;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The /document/v1 contract against the testkit's emulator: runs in every build. */
class VespaEmulatorContractTest extends VespaDocumentV1Contract {

  private static Vertx vertx;
  private static VespaEmulator emulator;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    emulator = VespaEmulator.start(vertx, new VespaEmulatorOptions()).await();
  }

  @AfterAll
  static void stop() {
    emulator.close().await();
    vertx.close().await();
  }

  @Override
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + emulator.port());
  }
}
