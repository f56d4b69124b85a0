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

/**
 * The reconnect rule shared by Pyth and the real-time source (both run on {@link ResilientStream}):
 * a connection the server closes after it delivered is reopened at once, whatever happened before;
 * only connections that end before delivering back off, with growing delays.
 */
class ResilientStreamReconnectTest {

  /** A first backoff of 400–800 ms and a stable period far away: any backoff would show in the delays. */
  private static final StreamOptions OPTIONS = new StreamOptions(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(800),
      Duration.ofSeconds(20), Duration.ofHours(1), Duration.ofSeconds(1));

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<FakeConnection> opened = new CopyOnWriteArrayList<>();
  private final List<Long> delays = new CopyOnWriteArrayList<>();
  private final List<String> reasons = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aConnectionClosedAfterDeliveringIsReopenedAtOnceEveryTime() {
    ResilientStream stream = started();
    for (int cycle = 1; cycle <= 5; cycle++) {
      FakeConnection connection = opened.get(cycle - 1);
      on(() -> {
        stream.event(connection, new SseEvent("message", "{\"n\":1}", "", -1));
        stream.ended(connection, null); // the server's maximum connection age
        return null;
      });
      int expected = cycle + 1;
      Await.until("connection " + expected, Duration.ofSeconds(5), () -> opened.size() == expected, () -> opened.size());
    }
    assertThat(delays).as("delays before each reconnect (ms)").hasSize(5).containsOnly(0L);
    on(stream::stop);
  }

  @Test
  void connectionsThatEndBeforeDeliveringBackOffAndADeliveringOneStartsOver() {
    ResilientStream stream = started();
    // Three connections ended by the server before their first event: failures, with doubling delays.
    for (int failure = 1; failure <= 3; failure++) {
      FakeConnection connection = opened.get(failure - 1);
      on(() -> {
        stream.ended(connection, null);
        return null;
      });
      int expected = failure + 1;
      Await.until("connection " + expected, Duration.ofSeconds(10), () -> opened.size() == expected, () -> opened.size());
    }
    assertThat(delays).as("backoff delays (ms), each within [ceiling/2, ceiling] of 800 × 2^(n-1)").hasSize(3);
    assertThat(delays.get(0)).isBetween(400L, 800L);
    assertThat(delays.get(1)).isBetween(800L, 1_600L);
    assertThat(delays.get(2)).isBetween(1_600L, 3_200L);

    // This one delivers, then ends: reopened at once, and the next failure waits the first delay again.
    FakeConnection delivering = opened.get(3);
    on(() -> {
      stream.event(delivering, new SseEvent("message", "{}", "", -1));
      stream.ended(delivering, new IllegalStateException("reset by peer"));
      return null;
    });
    Await.until("connection 5", Duration.ofSeconds(5), () -> opened.size() == 5, () -> opened.size());
    FakeConnection failing = opened.get(4);
    on(() -> {
      stream.ended(failing, null);
      return null;
    });
    Await.until("connection 6", Duration.ofSeconds(5), () -> opened.size() == 6, () -> opened.size());
    assertThat(delays.subList(3, 5)).as("after delivering: at once, then the first backoff again").satisfiesExactly(
        d -> assertThat(d).isZero(), d -> assertThat(d).isBetween(400L, 800L));
    assertThat(reasons.get(3)).contains("reset by peer");
    on(stream::stop);
  }

  @Test
  void anErrorEventAfterDeliveringReconnectsAtOnceButAnErrorAsTheFirstEventBacksOff() {
    ResilientStream stream = started();
    FakeConnection first = opened.get(0);
    on(() -> {
      stream.event(first, new SseEvent("message", "{}", "", -1));
      stream.event(first, new SseEvent("error", "Slow consumer", "", -1));
      return null;
    });
    Await.until("connection 2", Duration.ofSeconds(5), () -> opened.size() == 2, () -> opened.size());
    FakeConnection second = opened.get(1);
    on(() -> {
      stream.event(second, new SseEvent("error", "Slow consumer", "", -1));
      return null;
    });
    Await.until("connection 3", Duration.ofSeconds(5), () -> opened.size() == 3, () -> opened.size());
    assertThat(delays.get(0)).isZero();
    assertThat(delays.get(1)).isBetween(400L, 800L);
    assertThat(first.closed).isTrue();
    on(stream::stop);
  }

  private ResilientStream started() {
    RequestBudget budget = RequestBudget.forUrl(vertx, URI.create("http://reconnect-test.invalid/"), 1000, Duration.ofSeconds(1));
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

        @Override
        public void backingOff(Duration delay, String why) {
          delays.add(delay.toMillis());
          reasons.add(why);
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

  /** A connection that opens at once; the test plays the server through the stream's listener methods. */
  private static final class FakeConnection implements StreamConnection {
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
    }

    @Override
    public void resume() {
    }
  }
}
