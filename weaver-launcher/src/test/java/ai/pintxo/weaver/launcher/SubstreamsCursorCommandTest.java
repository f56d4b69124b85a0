package ai.pintxo.weaver.launcher;

import static ai.pintxo.weaver.launcher.AdminControlTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulator;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weaver substreams cursor get|set|reset} against a running weaver streaming from the
 * Substreams emulator: {@code get} shows the committed block; writes are refused while the unit is
 * held and accepted once its pipeline is paused; after a resume the emulator is asked from the block
 * set, and after a reset from the configured startBlock.
 */
class SubstreamsCursorCommandTest {

  static final String NAME = "pintxo-seaport";
  /** A substream that reached its stop block still holds its unit, reported stopped with this reason. */
  static final String FINISHED = "stopped: reached stop block 200";

  @TempDir
  Path dir;

  Vertx emulators;
  SubstreamsEmulator substreams;
  Path file;
  String admin;
  String servers;

  @BeforeEach
  void emulator() throws Exception {
    emulators = Vertx.vertx();
    substreams = Await.result(SubstreamsEmulator.start(emulators, new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(1, 0))));
    Path spkg = TestPackages.write(TestPackages.seaport(), dir.resolve("seaport.spkg"));
    JsonObject config = new JsonObject().put("name", NAME).put("manifestUrl", spkg.toString()).put("strategy", "SeaportStrategy")
        .put("outputModule", "metrics_out").put("endpoint", substreams.endpoint()).put("plaintext", true).put("startBlock", 10)
        .put("stopBlock", 200).put("undoBufferSize", 0).put("cacheDir", dir.resolve("cache").toString());
    file = Files.writeString(dir.resolve("deployment.json"), """
        {"kafka": {"embedded": {"dataDir": "kafka-data", "port": 0}}, "admin": {"port": 0, "watch": "0"},
         "verticles": [{"name": "seaport", "verticle": "SubstreamsVerticle", "config": %s}]}""".formatted(config.encode()));
  }

  @AfterEach
  void close() {
    Await.result(emulators.close());
  }

  /** @return what the command printed */
  private String cursor(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("cursor"));
    all.addAll(List.of(args));
    all.addAll(List.of(file.toString(), "--bootstrap-servers", servers));
    int code = new SubstreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8), Map.of()).run(all);
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println("weaver substreams cursor " + String.join(" ", args) + " -> " + code + "\n" + text);
    assertThat(code).isZero();
    return text;
  }

  /** @return the unit's state and reason, e.g. {@code stopped: reached stop block 200} */
  private String unitState() {
    JsonObject pipeline = new JsonObject(send(admin + "/pipelines/seaport", "GET", null, null).body());
    if (pipeline.getJsonArray("owned").isEmpty()) {
      return "none";
    }
    JsonObject unit = pipeline.getJsonArray("owned").getJsonObject(0);
    return unit.getString("state") + (unit.getString("reason") == null ? "" : ": " + unit.getString("reason"));
  }

  private void awaitState(String state) {
    Await.until("unit " + state, Duration.ofSeconds(30), () -> unitState().startsWith(state), this::unitState);
  }

  private void control(String action) {
    assertThat(send(admin + "/pipelines/seaport/" + action, "POST", null, null).statusCode()).isEqualTo(202);
  }

  /** Resumes the pipeline and waits for the new session and its end at the stop block. */
  private SubstreamsEmulator.SessionStart resumeAndFinish() {
    int before = substreams.sessionStarts().size();
    control("resume");
    Await.until("a new session", Duration.ofSeconds(30), () -> substreams.sessionStarts().size() > before, () -> substreams.sessionStarts());
    awaitState(FINISHED);
    return substreams.sessionStarts().get(substreams.sessionStarts().size() - 1);
  }

  @Test
  void getSetAndResetMoveWhereTheSubstreamResumes() throws Exception {
    try (WeaverRuntime runtime = new WeaverRuntime()) {
      runtime.start(Deployment.load(file, Map.of()), Map.of());
      admin = "http://127.0.0.1:" + runtime.admin().port();
      servers = runtime.deployment().kafka().getBootstrapServers();
      awaitState(FINISHED);
      assertThat(substreams.sessionStarts().get(0).startBlock()).isEqualTo(10);

      // get: the last block committed, the stop block being exclusive.
      assertThat(cursor("get", NAME)).startsWith("substream " + NAME + ": block 199 (").contains("module: metrics_out hash ");

      // A write while a member holds the unit is refused, naming it; an unknown name lists the known ones.
      assertThatThrownBy(() -> cursor("set", NAME, "--block", "50")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("substream " + NAME + " runs in weaver-units-seaport-")
          .hasMessageContaining("POST /pipelines/seaport/pause");
      assertThatThrownBy(() -> cursor("get", "nope")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no substream 'nope'").hasMessageContaining("known: " + NAME);
      assertThatThrownBy(() -> cursor("set", NAME)).hasMessageContaining("--block N or --cursor C");
      assertThat(cursor("get", NAME)).as("nothing written by the refused set").contains("block 199 (");

      // Paused: set --block 50 is accepted; resumed, the emulator is asked from block 50 without a cursor.
      control("pause");
      awaitState("paused");
      assertThat(cursor("set", NAME, "--block", "50")).contains("the next start streams block 50 first");
      assertThat(cursor("get", NAME)).contains("the next start streams block 50 first");
      SubstreamsEmulator.SessionStart rewound = resumeAndFinish();
      assertThat(rewound.startBlock()).isEqualTo(50);
      assertThat(rewound.cursorBlock()).as("no server cursor sent").isEqualTo(-1);
      assertThat(cursor("get", NAME)).contains("block 199 (");

      // reset: the next start begins at startBlock.
      control("pause");
      awaitState("paused");
      assertThat(cursor("reset", NAME)).contains("removed the cursor").contains("the next start begins at startBlock 10");
      assertThat(cursor("get", NAME)).contains("no cursor");
      SubstreamsEmulator.SessionStart reset = resumeAndFinish();
      assertThat(reset.startBlock()).isEqualTo(10);
      assertThat(reset.cursorBlock()).isEqualTo(-1);
      assertThat(cursor("get", NAME)).contains("block 199 (");
    }
  }
}
