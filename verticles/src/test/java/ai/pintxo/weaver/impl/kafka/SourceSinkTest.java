package ai.pintxo.weaver.impl.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.impl.kafka.SourceSink.Mode;
import ai.pintxo.weaver.impl.kafka.SourceSink.Settings;
import ai.pintxo.weaver.testkit.junit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SourceSinkTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeSender sender = new FakeSender();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void sendCompletesWhenTheBrokerAcknowledges() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 100, Duration.ofMillis(10));
    Future<SourceSink.Outcome> sent = on(() -> sink.send("t", key("a"), value("a1"), List.of()));
    assertThat(sent.isComplete()).isFalse();
    on(() -> sender.complete(0));
    assertThat(sent.succeeded()).isTrue();
    assertThat(count("produced")).isEqualTo(1);
    assertThat(on(sink::held)).isZero();
  }

  @Test
  void retriableFailurePausesTheSourceAndResendsEverythingInOrderOnceKafkaAnswers() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 100, Duration.ofMillis(10));
    List<Future<SourceSink.Outcome>> sent = new ArrayList<>();
    on(() -> {
      sent.add(sink.send("t", key("a"), value("a1"), List.of()));
      sent.add(sink.send("t", key("a"), value("a2"), List.of()));
      sent.add(sink.send("t", key("b"), value("b1"), List.of()));
      return sender.fail(0, new TimeoutException("Expiring 1 record(s): 5000 ms has passed since batch creation"));
    });
    assertThat(events).containsExactly("paused");
    assertThat(on(sink::available)).isFalse();
    // A record sent while Kafka is unavailable waits: it would otherwise overtake the failed ones of its key.
    sent.add(on(() -> sink.send("t", key("a"), value("a3"), List.of())));
    assertThat(sender.values()).containsExactly("a1", "a2", "b1");
    on(() -> sender.fail(1, new TimeoutException("expired")));
    on(() -> sender.fail(2, new NotEnoughReplicasException("1 of 2")));
    Await.until("a probe with the oldest record", WAIT, () -> sender.values().size() == 4, sender::values);
    on(() -> sender.fail(3, new TimeoutException("still down")));
    Await.until("a second probe", WAIT, () -> sender.values().size() == 5, sender::values);
    assertThat(sender.values()).containsExactly("a1", "a2", "b1", "a1", "a1");
    on(() -> sender.complete(4));
    assertThat(sender.values()).containsExactly("a1", "a2", "b1", "a1", "a1", "a2", "b1", "a3");
    assertThat(on(sink::available)).isTrue();
    on(() -> sender.complete(5, 6, 7));
    assertThat(sent).allMatch(Future::succeeded);
    assertThat(events).containsExactly("paused", "resumed");
    assertThat(count("produced")).isEqualTo(4);
    assertThat(count("retried")).isEqualTo(4); // a1 twice, a2, b1
    assertThat(count("failed")).isZero();
    assertThat(registry.get("weaver.sink.pauses").tag("reason", "unavailable").counter().count()).isEqualTo(1);
  }

  @Test
  void nonRetriableFailureFailsTheRecordAndIsCountedWithoutPausing() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 100, Duration.ofMillis(10));
    Future<SourceSink.Outcome> sent = on(() -> sink.send("t", key("huge"), value("x"), List.of()));
    on(() -> sender.fail(0, new RecordTooLargeException("The message is 2000000 bytes")));
    assertThat(sent.failed()).isTrue();
    assertThat(sent.cause()).isInstanceOf(RecordTooLargeException.class);
    assertThat(count("failed")).isEqualTo(1);
    assertThat(events).isEmpty();
    assertThat(on(sink::available)).isTrue();
    assertThat(sender.values()).containsExactly("x");
  }

  @Test
  void fullSinkPausesItsSourceAndResumesItAtHalf() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 4, Duration.ofMillis(10));
    on(() -> {
      for (int i = 1; i <= 5; i++) {
        sink.send("t", key("k" + i), value("v" + i), List.of());
      }
      return null;
    });
    assertThat(events).containsExactly("paused");
    assertThat(sender.values()).as("in flight at most maxPending").hasSize(4);
    on(() -> sender.complete(0));
    assertThat(sender.values()).as("the waiting record goes when one settles").hasSize(5);
    on(() -> sender.complete(1));
    assertThat(events).as("3 held: above half").containsExactly("paused");
    on(() -> sender.complete(2));
    assertThat(events).as("2 held: half").containsExactly("paused", "resumed");
    assertThat(registry.get("weaver.sink.pauses").tag("reason", "full").counter().count()).isEqualTo(1);
  }

  @Test
  void aSourceThatDoesNotPauseHasRecordsAboveTwiceTheBoundRefusedAndCounted() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 2, Duration.ofMillis(10));
    List<Future<SourceSink.Outcome>> sent = on(() -> {
      List<Future<SourceSink.Outcome>> all = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        all.add(sink.send("t", key("k" + i), value("v" + i), List.of()));
      }
      return all;
    });
    assertThat(sent.get(4).failed()).isTrue();
    assertThat(sent.get(4).cause()).isInstanceOf(SourceSink.OverflowException.class);
    assertThat(sent.subList(0, 4)).noneMatch(Future::isComplete);
    assertThat(count("failed")).isEqualTo(1);
  }

  @Test
  void latestValueModeKeepsOneWaitingValuePerKeyWhileKafkaIsDown() {
    SourceSink sink = sink(Mode.LATEST_VALUE, 100, Duration.ofMillis(10));
    Future<SourceSink.Outcome> first = on(() -> sink.send("prices", key("btc"), value("btc1"), List.of()));
    on(() -> sender.fail(0, new NetworkException("disconnected")));
    List<Future<SourceSink.Outcome>> later = on(() -> {
      List<Future<SourceSink.Outcome>> all = new ArrayList<>();
      for (int i = 2; i <= 5; i++) {
        all.add(sink.send("prices", key("btc"), value("btc" + i), List.of()));
      }
      all.add(sink.send("prices", key("eth"), value("eth1"), List.of()));
      all.add(sink.send("prices", key("eth"), value("eth2"), List.of()));
      return all;
    });
    assertThat(on(sink::held)).as("one waiting value per key").isEqualTo(2);
    assertThat(count("conflated")).isEqualTo(5);
    Await.until("a probe with the oldest waiting value", WAIT, () -> sender.values().size() == 2, sender::values);
    on(() -> sender.complete(1));
    on(() -> sender.complete(2));
    assertThat(sender.values()).containsExactly("btc1", "btc5", "eth2");
    assertThat(first.succeeded()).as("a replaced value completes with its replacement").isTrue();
    assertThat(later).allMatch(Future::succeeded);
    assertThat(first.result()).isEqualTo(SourceSink.Outcome.CONFLATED);
    assertThat(later).extracting(Future::result).containsExactly(SourceSink.Outcome.CONFLATED, SourceSink.Outcome.CONFLATED,
        SourceSink.Outcome.CONFLATED, SourceSink.Outcome.PRODUCED, SourceSink.Outcome.CONFLATED, SourceSink.Outcome.PRODUCED);
    assertThat(count("produced")).isEqualTo(2);
    assertThat(events).containsExactly("paused", "resumed");
  }

  @Test
  void latestValueModeDropsARetryOlderThanAnAcknowledgedValueOfItsKey() {
    SourceSink sink = sink(Mode.LATEST_VALUE, 100, Duration.ofMillis(10));
    Future<SourceSink.Outcome> older = on(() -> sink.send("prices", key("btc"), value("btc1"), List.of()));
    on(() -> sink.send("prices", key("btc"), value("btc2"), List.of()));
    on(() -> sender.complete(1));
    on(() -> sender.fail(0, new TimeoutException("expired")));
    assertThat(older.result()).isEqualTo(SourceSink.Outcome.CONFLATED);
    assertThat(count("conflated")).isEqualTo(1);
    assertThat(on(sink::held)).isZero();
    assertThat(on(sink::available)).isTrue();
    assertThat(sender.values()).containsExactly("btc1", "btc2");
  }

  @Test
  void closeFailsWhatKafkaNeverAcknowledgedAndClosesTheProducer() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 100, Duration.ofSeconds(30));
    Future<SourceSink.Outcome> sent = on(() -> sink.send("t", key("a"), value("a1"), List.of()));
    on(() -> sender.fail(0, new TimeoutException("expired")));
    Future<Void> drained = on(sink::drained);
    assertThat(drained.isComplete()).isFalse();
    Future<Void> closed = on(() -> sink.close(Duration.ofMillis(100)));
    Await.until("the close", WAIT, closed::isComplete, () -> sent);
    assertThat(sent.failed()).isTrue();
    assertThat(sent.cause()).isInstanceOf(SourceSink.ClosedException.class);
    assertThat(drained.succeeded()).isTrue();
    assertThat(count("failed")).isEqualTo(1);
    assertThat(sender.closed).isTrue();
    Future<SourceSink.Outcome> afterClose = on(() -> sink.send("t", key("b"), value("b1"), List.of()));
    assertThat(afterClose.failed()).isTrue();
  }

  @Test
  void aBoundedDrainEndsWhileKafkaIsDownAndTheRecordIsStillHeld() {
    SourceSink sink = sink(Mode.EVERY_RECORD, 100, Duration.ofSeconds(30));
    Future<SourceSink.Outcome> sent = on(() -> sink.send("t", key("a"), value("a1"), List.of()));
    on(() -> sender.fail(0, new TimeoutException("expired")));
    Future<Void> drained = on(() -> sink.drained(Duration.ofMillis(100)));
    Await.until("the bounded drain", WAIT, drained::isComplete, () -> drained);
    assertThat(drained.succeeded()).isTrue();
    assertThat(on(sink::held)).as("still held, to be sent once Kafka is back").isEqualTo(1);
    assertThat(sent.isComplete()).isFalse();
  }

  @Test
  void retriableFailuresAreKafkasRetriableErrorsEvenWhenWrapped() {
    assertThat(SourceSink.retriable(new TimeoutException("expired"))).isTrue();
    assertThat(SourceSink.retriable(new NotEnoughReplicasException("isr"))).isTrue();
    assertThat(SourceSink.retriable(new KafkaException("send failed", new NetworkException("reset")))).isTrue();
    assertThat(SourceSink.retriable(new RecordTooLargeException("big"))).isFalse();
    assertThat(SourceSink.retriable(new TopicAuthorizationException("denied"))).isFalse();
    assertThat(SourceSink.retriable(new SerializationException("bad"))).isFalse();
    assertThat(SourceSink.retriable(new IllegalStateException("Cannot perform operation after producer has been closed"))).isFalse();
  }

  private SourceSink sink(Mode mode, int maxPending, Duration minBackoff) {
    return on(() -> new SourceSink(vertx, sender, new Settings("test", mode, maxPending, minBackoff, minBackoff.multipliedBy(2)), registry)
        .listener(new SourceSink.Listener() {
          @Override
          public void paused(String reason) {
            events.add("paused");
          }

          @Override
          public void resumed() {
            events.add("resumed");
          }
        }));
  }

  private double count(String result) {
    return registry.find("weaver.sink.records").tag("result", result).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Runs on the context, as the owner would. */
  private <T> T on(Supplier<T> action) {
    return Await.on(context, action);
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Records what the sink sends; the test settles each send. */
  private static final class FakeSender implements SourceSink.Sender {
    final List<ProducerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    final List<Promise<Void>> promises = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public Future<?> send(ProducerRecord<byte[], byte[]> record) {
      Promise<Void> promise = Promise.promise();
      records.add(record);
      promises.add(promise);
      return promise.future();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      promises.forEach(p -> p.tryFail(new KafkaException("Producer is closed forcefully.")));
      return Future.succeededFuture();
    }

    List<String> values() {
      return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    Void complete(int... indexes) {
      for (int i : indexes) {
        promises.get(i).complete();
      }
      return null;
    }

    Void fail(int index, Throwable error) {
      promises.get(index).fail(error);
      return null;
    }
  }
}
