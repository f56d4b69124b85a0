package ai.pintxo.weaver.pyth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConflatorTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  @SuppressWarnings("unchecked")
  void firstValueGoesAtOnceThenTheLatestPerIntervalPerKey() {
    List<String> out = new CopyOnWriteArrayList<>();
    Conflator<String>[] conflator = new Conflator[1];
    io.vertx.core.Promise<Void> offered = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> {
      conflator[0] = new Conflator<>(vertx, Duration.ofMillis(300), out::add);
      conflator[0].offer("btc", "btc-1");
      conflator[0].offer("eth", "eth-1");
      for (int i = 2; i <= 10; i++) {
        conflator[0].offer("btc", "btc-" + i);
      }
      offered.complete();
    });
    Await.result(offered.future());
    assertThat(out).containsExactly("btc-1", "eth-1");
    Await.until("the latest value after the interval", Duration.ofSeconds(5), () -> out.size() == 3, () -> out);
    assertThat(out).containsExactly("btc-1", "eth-1", "btc-10");
    assertThat(conflator[0].superseded()).isEqualTo(8);
  }

  @Test
  @SuppressWarnings("unchecked")
  void flushLetsTheWaitingValuesThroughAtOnce() {
    List<String> out = new CopyOnWriteArrayList<>();
    io.vertx.core.Promise<Void> flushed = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> {
      Conflator<String> conflator = new Conflator<>(vertx, Duration.ofHours(1), out::add);
      conflator.offer("btc", "btc-1");
      conflator.offer("btc", "btc-2");
      conflator.offer("btc", "btc-3");
      conflator.offer("eth", "eth-1");
      conflator.flush(List.of("btc", "eth"));
      conflator.flush(List.of("btc", "eth")); // nothing left to let through
      flushed.complete();
    });
    Await.result(flushed.future());
    assertThat(out).containsExactly("btc-1", "eth-1", "btc-3");
  }

  @Test
  void zeroIntervalLetsEverythingThrough() {
    List<String> out = new CopyOnWriteArrayList<>();
    Conflator<String> conflator = new Conflator<>(vertx, Duration.ZERO, out::add);
    for (int i = 1; i <= 5; i++) {
      conflator.offer("btc", "btc-" + i);
    }
    assertThat(out).containsExactly("btc-1", "btc-2", "btc-3", "btc-4", "btc-5");
  }
}
