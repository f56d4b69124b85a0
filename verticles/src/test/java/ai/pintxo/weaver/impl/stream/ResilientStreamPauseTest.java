package ai.pintxo.weaver.impl.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.realtime.StreamOptions;
import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilientStreamPauseTest {

  private static final Duration SILENCE = Duration.ofMillis(300);
  private static final StreamOptions OPTIONS = new StreamOptions(SILENCE, Duration.ofHours(1), Duration.ofMillis(10),
      Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(1));

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<FakeConnection> opened = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aPausedStreamIsSilentWithoutBeingTakenForDeadAndIsWatchedAgainOnceResumed() throws Exception {
    ResilientStream stream = started();
    on(() -> {
      stream.pause();
      return null;
    });
    assertThat(opened.get(0).paused).isTrue();
    Thread.sleep(SILENCE.toMillis() * 4); // several watchdog rounds, all silent
    assertThat(opened).as("no reconnect while paused").hasSize(1);
    assertThat(opened.get(0).closed).isFalse();
    on(() -> {
      stream.resume();
      return null;
    });
    assertThat(opened.get(0).paused).isFalse();
    // Resumed and still silent: now it is a dead stream.
    Await.until("a reconnect after the silence timeout", Duration.ofSeconds(5), () -> opened.size() == 2, () -> opened.size());
    assertThat(opened.get(0).closed).isTrue();
  }

  @Test
  void aConnectionEndedWhilePausedIsReopenedOnlyOnResume() throws Exception {
    ResilientStream stream = started();
    on(() -> {
      stream.pause();
      stream.ended(opened.get(0), new IllegalStateException("reset by peer"));
      return null;
    });
    Thread.sleep(OPTIONS.maxBackoff().toMillis() * 4); // past any reconnect delay
    assertThat(opened).as("no connection opened while paused").hasSize(1);
    on(() -> {
      stream.resume();
      return null;
    });
    Await.until("a reconnect once resumed", Duration.ofSeconds(5), () -> opened.size() == 2, () -> opened.size());
    assertThat(opened.get(1).paused).isFalse();
    on(() -> {
      stream.stop();
      return null;
    });
  }

  private ResilientStream started() {
    RequestBudget budget = RequestBudget.forUrl(vertx, URI.create("http://pause-test.invalid/"), 1000,
        Duration.ofSeconds(1));
    ResilientStream stream = on(() -> {
      ResilientStream s = new ResilientStream(vertx, listener -> {
        FakeConnection connection = new FakeConnection();
        opened.add(connection);
        return connection;
      }, "test", OPTIONS, budget, new ResilientStream.Observer() {
        @Override
        public void event(SseEvent event) {
        }

        @Override
        public void refused(int status, String body) {
        }
      });
      s.start();
      return s;
    });
    Await.until("the first connection", Duration.ofSeconds(5), () -> opened.size() == 1, () -> opened.size());
    return stream;
  }

  /** Runs on the context, as the owner would. */
  private <T> T on(Supplier<T> action) {
    return Await.on(context, action);
  }

  /** A connection that opens at once and never sends anything. */
  private static final class FakeConnection implements StreamConnection {
    volatile boolean paused;
    volatile boolean closed;

    @Override
    public Future<Void> open() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      paused = false;
    }
  }
}
