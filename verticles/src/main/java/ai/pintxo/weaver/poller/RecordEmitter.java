package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Receives the records of one response from its {@link ResponseReader} and produces them through the
 * poller's {@link SourceSink} (which re-sends them while Kafka is unavailable):
 * <ul>
 *   <li>change-only: a record whose value hashes like the last one produced for its key is skipped;</li>
 *   <li>hold-back: the first {@code holdBack} records (and item dead letters) wait until the response
 *       proves readable or there are that many, so a small broken response produces nothing;</li>
 *   <li>backpressure: {@link #saturated()} tells the poller to pause the HTTP response while
 *       {@code maxPending} sends are unacknowledged; the drain handler resumes it at half of that.</li>
 * </ul>
 * A record counts as pending until Kafka acknowledged it and its state record. Used from the poller's
 * event loop only.
 *
 * @param <T> the record type
 */
final class RecordEmitter<T extends Keyed> implements ResponseReader.Sink<T> {

  /** Every polled record's headers, before its trace context. */
  static final List<Header> HEADERS = List.of(
      new RecordHeader("contentType", "application/json".getBytes(StandardCharsets.UTF_8)),
      new RecordHeader("version", "1".getBytes(StandardCharsets.UTF_8)));

  private final Topic<T> topic;
  private final SourceSink sink;
  private final DeadLetterWriter deadLetters;
  private final ProducedState state;
  private final boolean force;
  private final String source;
  private final int holdBack;
  private final int maxPending;
  private final Counters counters;
  /** The poll's trace context (none when tracing is off): its records and dead letters carry it. */
  private final List<Header> trace;
  private final List<Header> headers;
  private final List<Outgoing> staged = new ArrayList<>();
  private final List<ParsedResponse.ItemFailure> stagedFailures = new ArrayList<>();
  private boolean streaming;
  private boolean abandoned;
  private int pending;
  private int sent;
  private int produced;
  private int unchanged;
  private int rejected;
  private Throwable sendFailure;
  private Runnable drainHandler;
  private final List<Promise<Void>> idle = new ArrayList<>();

  /** The counters of the endpoint the emitter produces for. */
  record Counters(Counter polled, Counter produced, Counter unchanged) {
  }

  private record Outgoing(byte[] key, String keyText, byte[] value, byte[] hash) {
  }

  RecordEmitter(Topic<T> topic, SourceSink sink, DeadLetterWriter deadLetters, ProducedState state,
                boolean force, String source, int holdBack, int maxPending, Counters counters, List<Header> trace) {
    this.topic = topic;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.state = state;
    this.force = force;
    this.source = source;
    this.holdBack = holdBack;
    this.maxPending = maxPending;
    this.counters = counters;
    this.trace = trace;
    this.headers = trace.isEmpty() ? HEADERS : java.util.stream.Stream.concat(HEADERS.stream(), trace.stream()).toList();
  }

  @Override
  public void record(T record) {
    if (abandoned) {
      return;
    }
    counters.polled().increment();
    byte[] value = topic.encode(record);
    byte[] hash = state.enabled() ? ProducedState.hash(value) : null;
    if (!force && hash != null && state.unchanged(topic.name(), record.key(), hash)) {
      unchanged++;
      counters.unchanged().increment();
      return;
    }
    Outgoing out = new Outgoing(topic.keySerde().encode(record.key()), record.key(), value, hash);
    if (streaming) {
      send(out);
      return;
    }
    staged.add(out);
    if (staged.size() >= holdBack) {
      release();
    }
  }

  @Override
  public void failure(ParsedResponse.ItemFailure failure) {
    if (abandoned) {
      return;
    }
    rejected++;
    if (streaming) {
      deadLetter(failure);
    } else {
      stagedFailures.add(failure);
    }
  }

  /** @return whether the HTTP response should pause until the drain handler runs */
  boolean saturated() {
    return pending >= maxPending;
  }

  /** @param handler runs when a saturated emitter has drained to half */
  void drainHandler(Runnable handler) {
    this.drainHandler = handler;
  }

  /** @return whether records were sent before the response was complete (a failure now leaves them produced) */
  boolean streamed() {
    return streaming;
  }

  /**
   * The response was read completely: sends what was held back.
   *
   * @return completes when Kafka acknowledged everything; fails with the first send failure
   */
  Future<Void> complete() {
    release();
    return settled().compose(v -> sendFailure == null ? Future.succeededFuture() : Future.failedFuture(sendFailure));
  }

  /**
   * @return completes, never fails, once everything handed to Kafka was acknowledged or failed: from then
   *     on {@link #produced()} is final, also for a response that broke off after some of its records were sent
   */
  Future<Void> settled() {
    if (pending == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    idle.add(done);
    return done.future();
  }

  /** The response is unreadable: what was held back is dropped. */
  void abandon() {
    abandoned = true;
    staged.clear();
    stagedFailures.clear();
  }

  /** @return records handed to Kafka so far, acknowledged or not */
  int sent() {
    return sent;
  }

  int produced() {
    return produced;
  }

  int unchanged() {
    return unchanged;
  }

  int rejected() {
    return rejected;
  }

  private void release() {
    streaming = true;
    stagedFailures.forEach(this::deadLetter);
    stagedFailures.clear();
    staged.forEach(this::send);
    staged.clear();
  }

  private void send(Outgoing out) {
    pending++;
    sent++;
    sink.send(topic.name(), out.key(), out.value(), headers)
        .compose(acknowledged -> {
          produced++;
          counters.produced().increment();
          return out.hash() == null ? Future.<Void>succeededFuture() : state.remember(sink, topic.name(), out.keyText(), out.hash());
        })
        .onComplete(ar -> settled(ar.cause()));
  }

  private void deadLetter(ParsedResponse.ItemFailure failure) {
    pending++;
    deadLetters.write(topic.name(), null, failure.item(),
            new DeadLetter(failure.error().stage(), failure.error().getMessage(), 0, RecordOrigin.source(source), Instant.now()),
            trace)
        .onComplete(ar -> settled(ar.cause()));
  }

  private void settled(Throwable failure) {
    pending--;
    if (failure != null && sendFailure == null) {
      sendFailure = failure;
    }
    if (drainHandler != null && pending <= maxPending / 2) {
      Runnable handler = drainHandler;
      handler.run();
    }
    settleIfIdle();
  }

  private void settleIfIdle() {
    if (pending == 0 && !idle.isEmpty()) {
      List<Promise<Void>> waiting = List.copyOf(idle);
      idle.clear();
      waiting.forEach(Promise::complete);
    }
  }
}
