package ai.pintxo.weaver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.pipeline.UnitState;
import ai.pintxo.weaver.pipeline.UnitStatus;
import ai.pintxo.weaver.runtime.kafka.EmbeddedKafka;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Units shared by "processes" (separate Vert.x instances, each with its own board) through a real
 * broker's group coordinator: each unit runs in one place, moves when a member leaves, never runs
 * in two places at once, and pauses and resumes on the board's command.
 */
class UnitsTest {

  private static final List<String> UNITS = List.of("a", "b", "c", "d", "e", "f");
  private static EmbeddedKafka kafka;

  /** What every member did, in order: who started or stopped which unit, and when. */
  private final List<Event> log = new CopyOnWriteArrayList<>();

  record Event(String member, String unit, boolean start, long nanos) {
  }

  @BeforeAll
  static void broker() throws Exception {
    kafka = new EmbeddedKafka(Files.createTempDirectory("weaver-units"), 0).start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** A source with one instance: runs the units Kafka gives it and logs them. */
  private final class Source extends AbstractVerticle {
    private final String member;
    private final String pipeline;
    private Units units;

    Source(String member, String pipeline) {
      this.member = member;
      this.pipeline = pipeline;
    }

    @Override
    public void start(Promise<Void> started) {
      ClusterOptions cluster = new ClusterOptions().setMember(member).setPipeline(pipeline).setSessionTimeout(Duration.ofSeconds(6));
      units = new Units(vertx, new KafkaOptions().setBootstrapServers(kafka.bootstrapServers()), cluster, "TestSource", UNITS,
          new UnitWorker() {
            @Override
            public Future<Void> startUnit(String unit, UnitReporter reporter) {
              log.add(new Event(member, unit, true, System.nanoTime()));
              reporter.running();
              return Future.succeededFuture();
            }

            @Override
            public Future<Void> stopUnit(String unit) {
              // A stop that takes a moment, as a poll in flight or a Substreams commit would.
              Promise<Void> stopped = Promise.promise();
              vertx.setTimer(200, t -> {
                log.add(new Event(member, unit, false, System.nanoTime()));
                stopped.complete();
              });
              return stopped.future();
            }
          });
      units.start().onComplete(started);
    }

    @Override
    public void stop(Promise<Void> stopped) {
      units.stop().onComplete(stopped);
    }
  }

  /** @return the units each member runs now, from the log */
  private Map<String, Set<String>> running() {
    Map<String, Set<String>> byMember = new HashMap<>();
    for (Event e : log) {
      Set<String> set = byMember.computeIfAbsent(e.member(), m -> new HashSet<>());
      if (e.start()) {
        set.add(e.unit());
      } else {
        set.remove(e.unit());
      }
    }
    return byMember;
  }

  private int runningCount() {
    return running().values().stream().mapToInt(Set::size).sum();
  }

  private Set<String> union() {
    Set<String> all = new HashSet<>();
    running().values().forEach(all::addAll);
    return all;
  }

  /** No unit was ever started by one member while another still ran it. */
  private void assertNeverTwice() {
    Map<String, String> runner = new HashMap<>();
    for (Event e : log) {
      if (e.start()) {
        assertThat(runner.get(e.unit())).as("unit %s started by %s while %s still ran it; log %s", e.unit(), e.member(),
            runner.get(e.unit()), log).isNull();
        runner.put(e.unit(), e.member());
      } else {
        assertThat(runner.get(e.unit())).as("unit %s stopped by %s", e.unit(), e.member()).isEqualTo(e.member());
        runner.remove(e.unit());
      }
    }
  }

  @Test
  void unitsAreSharedMoveWhenAMemberLeavesAndNeverRunTwice() {
    Vertx one = Vertx.vertx();
    Vertx two = Vertx.vertx();
    Vertx three = null;
    try {
      Await.result(one.deployVerticle(new Source("w1", "shared")));
      Await.until("w1 runs every unit", Duration.ofSeconds(30), () -> union().size() == 6 && runningCount() == 6, this::running);

      Await.result(two.deployVerticle(new Source("w2", "shared")));
      Await.until("the units are split between w1 and w2", Duration.ofSeconds(30), () -> {
        Map<String, Set<String>> r = running();
        return r.getOrDefault("w1", Set.of()).size() == 3 && r.getOrDefault("w2", Set.of()).size() == 3 && union().size() == 6;
      }, this::running);
      assertNeverTwice();
      assertThat(PipelineBoard.of(two).units("shared")).extracting(UnitStatus::owner).containsOnly("w2");

      // w1 leaves (undeployed, as at a graceful shutdown): w2 takes every unit without waiting for a session timeout.
      long left = System.nanoTime();
      Await.result(one.close());
      Await.until("w2 runs every unit", Duration.ofSeconds(30), () -> running().getOrDefault("w2", Set.of()).size() == 6, this::running);
      assertThat((System.nanoTime() - left) / 1_000_000).as("takeover ms after a graceful leave").isLessThan(6_000);

      three = Vertx.vertx();
      Await.result(three.deployVerticle(new Source("w3", "shared")));
      Await.until("units rebalance to w3", Duration.ofSeconds(30), () -> {
        Map<String, Set<String>> r = running();
        return r.getOrDefault("w3", Set.of()).size() == 3 && r.getOrDefault("w2", Set.of()).size() == 3;
      }, this::running);
      assertNeverTwice();
    } finally {
      Await.result(two.close());
      if (three != null) {
        Await.result(three.close());
      }
    }
  }

  @Test
  void aPauseStopsTheUnitsAndAResumeStartsThemAgain() {
    Vertx vertx = Vertx.vertx();
    try {
      Await.result(vertx.deployVerticle(new Source("p1", "pausing")));
      Await.until("p1 runs every unit", Duration.ofSeconds(30), () -> runningCount() == 6, this::running);
      PipelineBoard board = PipelineBoard.of(vertx);

      board.pause("pausing", "paused by operator");
      Await.until("every unit stopped and reported paused", Duration.ofSeconds(5), () -> runningCount() == 0
          && board.units("pausing").stream().allMatch(u -> u.state() == UnitState.PAUSED), () -> board.units("pausing"));
      assertThat(board.units("pausing")).extracting(UnitStatus::reason).containsOnly("paused by operator");
      assertThat(board.problems()).isEmpty(); // an operator's pause is not a failure

      board.resume("pausing");
      Await.until("every unit runs again", Duration.ofSeconds(5), () -> runningCount() == 6
          && board.units("pausing").stream().allMatch(u -> u.state() == UnitState.RUNNING), () -> board.units("pausing"));
      List<Event> starts = new ArrayList<>(log.stream().filter(Event::start).toList());
      assertThat(starts).hasSize(12);
    } finally {
      Await.result(vertx.close());
    }
  }
}
