package ai.pintxo.weaver.impl.kafka;

import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.log.LogRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a source writes to Kafka: every record is acknowledged by the broker or counted as
 * failed, never dropped silently.
 * <ul>
 *   <li>{@link #send} completes when the broker acknowledged the record;</li>
 *   <li>a retriable failure (a send that expired after {@code delivery.timeout.ms}, not enough replicas,
 *       the network) makes the sink <em>unavailable</em>: new records wait, the failed ones wait again in
 *       the order they were first sent, and once everything in flight has settled one record probes the
 *       broker after a backoff; when a send succeeds, the waiting records go in their original order;</li>
 *   <li>a non-retriable failure (record too large, authorization, serialization) fails the record's
 *       future, is counted and logged with its topic and key, at most one line per second;</li>
 *   <li>the sink holds at most {@code maxPending} records in flight before it makes later ones wait; its
 *       {@link Listener} is told to pause while the sink is unavailable or holds {@code maxPending}
 *       records, and to resume once it is available and holds half of that. A source cannot stop at
 *       once (the bytes it already read still become records), so records are refused, counted as
 *       failed, only above twice {@code maxPending};</li>
 *   <li>in {@link Mode#LATEST_VALUE} a waiting record is replaced by a newer one for the same topic and
 *       key (counted as conflated; its future completes with the newer one's), and a retry older than
 *       a value already acknowledged for its key is dropped the same way: while Kafka is down memory
 *       is bounded by the number of keys, and the latest value wins.</li>
 * </ul>
 * Per key, records reach Kafka in the order sent, except when the broker came back while a batch of a
 * partition had expired and a later one had not: the expired one follows (in latest-value mode it is
 * dropped, the later value being newer).
 *
 * <p>Counts {@code weaver.sink.records{source, topic, result=produced|retried|failed|conflated}}.
 * Threading: confined to the context that created it (a source verticle's event loop): the producer
 * completes its futures there.
 */
public final class SourceSink {

  private static final Logger LOG = LoggerFactory.getLogger(SourceSink.class);
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
  private static final long STILL_UNAVAILABLE_NANOS = 30_000_000_000L;

  /** What the sink tells its source. */
  public interface Listener {
    /**
     * Stop reading input.
     *
     * @param reason "Kafka is unavailable" or "the Kafka sink is full", for status pages
     */
    void paused(String reason);

    /** Read again. */
    void resumed();
  }

  /** Hands records to Kafka: the producer's {@code send}, a fake in tests. */
  public interface Sender {
    /** @return completes when the broker acknowledged the record */
    Future<?> send(ProducerRecord<byte[], byte[]> record);

    /** Closes the producer behind it. */
    default Future<Void> close() {
      return Future.succeededFuture();
    }

    /** @return a sender over a producer, closing it on {@link #close()} */
    static Sender of(KafkaWriteStream<byte[], byte[]> producer) {
      return new Sender() {
        @Override
        public Future<?> send(ProducerRecord<byte[], byte[]> record) {
          return producer.send(record);
        }

        @Override
        public Future<Void> close() {
          return producer.close();
        }
      };
    }
  }

  /** Whether every record counts or only the latest per key. */
  public enum Mode {
    /** Every record is produced (trades, polled records). */
    EVERY_RECORD,
    /** Waiting records of a key are replaced by newer ones (prices). */
    LATEST_VALUE
  }

  /**
   * @param source     names the source in logs and the {@code source} tag
   * @param mode       every record, or the latest per key
   * @param maxPending records in flight before later ones wait and the source is paused
   * @param minBackoff first wait before probing an unavailable broker again
   * @param maxBackoff longest wait between probes
   */
  public record Settings(String source, Mode mode, int maxPending, Duration minBackoff, Duration maxBackoff) {

    /** Enough to keep the producer's batches full, small enough to be a few MB of records. */
    public static final int DEFAULT_MAX_PENDING = 10_000;

    public Settings {
      if (maxPending < 2) {
        throw new IllegalArgumentException("maxPending must be at least 2, was " + maxPending);
      }
    }

    /** @return settings with the default bound and backoff (200 ms doubling up to 10 s) */
    public static Settings of(String source, Mode mode) {
      return new Settings(source, mode, DEFAULT_MAX_PENDING, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    public Settings withMaxPending(int maxPending) {
      return new Settings(source, mode, maxPending, minBackoff, maxBackoff);
    }
  }

  /** The sink holds twice its bound already: the source did not pause. */
  public static final class OverflowException extends RuntimeException {
    OverflowException(String message) {
      super(message, null, false, false);
    }
  }

  /** The sink was closed before the broker acknowledged the record. */
  public static final class ClosedException extends RuntimeException {
    ClosedException(String message) {
      super(message, null, false, false);
    }
  }

  /** How a record that did not fail reached Kafka. */
  public enum Outcome {
    /** The broker acknowledged it. */
    PRODUCED,
    /** A newer value of its key was acknowledged instead (latest-value mode). */
    CONFLATED
  }

  /** The {@code result} tag of {@code weaver.sink.records}. */
  private enum Result {
    /** Acknowledged by the broker. */
    PRODUCED,
    /** Sent again after a retriable failure (once per attempt). */
    RETRIED,
    /** Failed for good: a non-retriable error, an overflow, a close. */
    FAILED,
    /** Replaced by a newer value of its key (latest-value mode). */
    CONFLATED
  }

  /** A record's topic and key: the slot of latest-value mode. */
  private record Slot(String topic, ByteBuffer key) {
  }

  /** A record the sink holds, with the order it was sent in. */
  private static final class Entry {
    final long seq;
    final ProducerRecord<byte[], byte[]> record;
    final Slot slot;
    final Promise<Outcome> done = Promise.promise();
    boolean failedBefore;

    Entry(long seq, ProducerRecord<byte[], byte[]> record, Slot slot) {
      this.seq = seq;
      this.record = record;
      this.slot = slot;
    }
  }

  private final Vertx vertx;
  private final Sender sender;
  private final Settings settings;
  private final MeterRegistry registry;
  private final Backoff backoff;
  private final Map<String, Counter[]> counters = new HashMap<>();
  private final TreeMap<Long, Entry> waiting = new TreeMap<>();
  private final Map<Slot, Entry> waitingBySlot = new HashMap<>();
  /** Latest-value mode: the sequence of the newest acknowledged record per slot. */
  private final Map<Slot, Long> acknowledged = new HashMap<>();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private final LogRateLimiter failureLog = new LogRateLimiter(LOG_INTERVAL_NANOS, System::nanoTime);
  private final LogRateLimiter overflowLog = new LogRateLimiter(LOG_INTERVAL_NANOS, System::nanoTime);
  private final LogRateLimiter stillUnavailableLog = new LogRateLimiter(STILL_UNAVAILABLE_NANOS, System::nanoTime);
  private final Counter pausesFull;
  private final Counter pausesUnavailable;
  private Listener listener = new Listener() {
    @Override
    public void paused(String reason) {
    }

    @Override
    public void resumed() {
    }
  };
  private long nextSeq;
  private int inFlight;
  private boolean unavailable;
  /** While unavailable: whether the last send that settled succeeded (the broker is back). */
  private boolean answered;
  private long unavailableSinceNanos;
  private long probeTimer = -1;
  private boolean paused;
  private boolean closed;
  private long suppressedFailures;
  private long suppressedOverflows;

  public SourceSink(Vertx vertx, Sender sender, Settings settings, MeterRegistry registry) {
    this.vertx = vertx;
    this.sender = sender;
    this.settings = settings;
    this.registry = registry;
    this.backoff = new Backoff(settings.minBackoff(), settings.maxBackoff());
    this.pausesFull = Counter.builder("weaver.sink.pauses").description("Times a source was paused by its sink")
        .tag("source", settings.source()).tag("reason", "full").register(registry);
    this.pausesUnavailable = Counter.builder("weaver.sink.pauses").description("Times a source was paused by its sink")
        .tag("source", settings.source()).tag("reason", "unavailable").register(registry);
  }

  /** @param listener told when the source should stop reading and when it may read again */
  public SourceSink listener(Listener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * @param topic   the topic
   * @param key     the key, may be null (never conflated)
   * @param value   the value
   * @param headers the headers, may be empty
   * @return completes when the broker acknowledged the record, or in latest-value mode a newer value of its
   *     key ({@link Outcome#CONFLATED}, counted once as such: count the produced ones by the outcome); fails for
   *     a non-retriable failure, an overflow or a close
   */
  public Future<Outcome> send(String topic, byte[] key, byte[] value, Iterable<Header> headers) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
    Slot slot = settings.mode() == Mode.LATEST_VALUE && key != null ? new Slot(topic, ByteBuffer.wrap(key)) : null;
    Entry entry = new Entry(nextSeq++, record, slot);
    if (closed) {
      fail(entry, new ClosedException("the " + settings.source() + " sink is closed"));
    } else if (!unavailable && waiting.isEmpty() && inFlight < settings.maxPending()) {
      dispatch(entry);
    } else if (slot != null && waitingBySlot.containsKey(slot)) {
      hold(entry);
    } else if (held() >= 2L * settings.maxPending()) {
      overflow(entry);
    } else {
      hold(entry);
    }
    updatePause();
    return entry.done.future();
  }

  /** @return records in flight and waiting */
  public int held() {
    return inFlight + waiting.size();
  }

  /** @return false from a retriable failure until a send succeeds again */
  public boolean available() {
    return !unavailable;
  }

  /** @return whether the listener was last told to pause */
  public boolean paused() {
    return paused;
  }

  /** @return completes once the sink holds nothing: everything sent was acknowledged or failed */
  public Future<Void> drained() {
    if (held() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drainWaiters.add(promise);
    return promise.future();
  }

  /**
   * @param limit the longest wait: a unit stopping while Kafka is down still stops
   * @return completes once the sink holds nothing, or after {@code limit} with records still held; never fails
   */
  public Future<Void> drained(Duration limit) {
    Promise<Void> settled = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, limit.toMillis()), t -> settled.tryComplete());
    drained().onComplete(ar -> {
      vertx.cancelTimer(timer);
      settled.tryComplete();
    });
    return settled.future();
  }

  /**
   * Waits up to {@code grace} for what the sink holds to be acknowledged, fails what is left (counted, one
   * line), then closes the producer.
   *
   * @return completes when the producer is closed; never fails
   */
  public Future<Void> close(Duration grace) {
    return drained(grace).compose(v -> {
      abandon();
      return sender.close();
    }).otherwiseEmpty();
  }

  private void abandon() {
    closed = true;
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
    }
    if (!waiting.isEmpty()) {
      LOG.atWarn().addKeyValue("source", settings.source()).addKeyValue("records", waiting.size())
          .log("sink.closed_unacknowledged: records Kafka did not acknowledge before the sink closed are failed");
    }
    List<Entry> left = new ArrayList<>(waiting.values());
    waiting.clear();
    waitingBySlot.clear();
    ClosedException closedError = new ClosedException("the " + settings.source() + " sink closed before Kafka acknowledged the record");
    for (Entry entry : left) {
      counter(entry.record.topic(), Result.FAILED).increment();
      entry.done.tryFail(closedError);
    }
    // Records in flight fail when the producer closes (counted as they settle).
    checkDrained();
  }

  private void dispatch(Entry entry) {
    inFlight++;
    if (entry.failedBefore) {
      counter(entry.record.topic(), Result.RETRIED).increment();
    }
    Future<?> sent;
    try {
      sent = sender.send(entry.record);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> settled(entry, ar.failed() ? ar.cause() : null));
  }

  private void settled(Entry entry, Throwable failure) {
    inFlight--;
    if (failure == null) {
      acknowledgedBy(entry);
    } else if (!closed && retriable(failure)) {
      retry(entry, failure);
    } else {
      fail(entry, failure);
    }
    pump();
    updatePause();
    checkDrained();
  }

  private void acknowledgedBy(Entry entry) {
    counter(entry.record.topic(), Result.PRODUCED).increment();
    if (entry.slot != null) {
      acknowledged.merge(entry.slot, entry.seq, Math::max);
    }
    if (unavailable) {
      answered = true;
    }
    entry.done.tryComplete(Outcome.PRODUCED);
  }

  private void retry(Entry entry, Throwable failure) {
    if (!unavailable) {
      unavailable = true;
      unavailableSinceNanos = System.nanoTime();
      stillUnavailableLog.reset();
      stillUnavailableLog.permit(); // the first line is this one
      LOG.atWarn().addKeyValue("source", settings.source()).addKeyValue("topic", entry.record.topic())
          .addKeyValue("key", keyText(entry.record.key())).addKeyValue("held", held() + 1)
          .log("sink.unavailable: {}; records wait and are sent again in order once Kafka answers", failure.toString());
    } else if (stillUnavailableLog.permit()) {
      LOG.atWarn().addKeyValue("source", settings.source()).addKeyValue("held", held() + 1)
          .addKeyValue("downMs", (System.nanoTime() - unavailableSinceNanos) / 1_000_000)
          .log("sink.still_unavailable: {}", failure.toString());
    }
    answered = false;
    entry.failedBefore = true;
    if (entry.slot != null) {
      Long newest = acknowledged.get(entry.slot);
      if (newest != null && newest > entry.seq) {
        conflate(entry, null); // a newer value of its key is in Kafka already
        return;
      }
    }
    hold(entry);
  }

  /** Makes a record wait, replacing (latest-value mode) an older waiting one of its key. */
  private void hold(Entry entry) {
    if (entry.slot != null) {
      Entry other = waitingBySlot.get(entry.slot);
      if (other != null) {
        if (other.seq > entry.seq) {
          conflate(entry, other);
          return;
        }
        waiting.remove(other.seq);
        conflate(other, entry);
      }
      waitingBySlot.put(entry.slot, entry);
    }
    waiting.put(entry.seq, entry);
  }

  /** @param newer the value that stands for it, or null when that one is acknowledged already */
  private void conflate(Entry older, Entry newer) {
    counter(older.record.topic(), Result.CONFLATED).increment();
    if (newer == null) {
      older.done.tryComplete(Outcome.CONFLATED);
    } else {
      newer.done.future().onComplete(ar -> {
        if (ar.succeeded()) {
          older.done.tryComplete(Outcome.CONFLATED);
        } else {
          older.done.tryFail(ar.cause());
        }
      });
    }
  }

  private void fail(Entry entry, Throwable failure) {
    counter(entry.record.topic(), Result.FAILED).increment();
    if (failureLog.permit()) {
      LOG.atError().addKeyValue("source", settings.source()).addKeyValue("topic", entry.record.topic())
          .addKeyValue("key", keyText(entry.record.key())).addKeyValue("suppressed", suppressedFailures)
          .log("sink.record_failed: {}", failure.toString());
      suppressedFailures = 0;
    } else {
      suppressedFailures++;
    }
    entry.done.tryFail(failure);
  }

  private void overflow(Entry entry) {
    counter(entry.record.topic(), Result.FAILED).increment();
    OverflowException error = new OverflowException("the " + settings.source() + " sink holds " + held()
        + " records, twice its maxPending: the source did not pause");
    if (overflowLog.permit()) {
      LOG.atError().addKeyValue("source", settings.source()).addKeyValue("topic", entry.record.topic())
          .addKeyValue("key", keyText(entry.record.key())).addKeyValue("suppressed", suppressedOverflows)
          .log("sink.overflow: {}", error.getMessage());
      suppressedOverflows = 0;
    } else {
      suppressedOverflows++;
    }
    entry.done.tryFail(error);
  }

  /** Sends what waits, when it may go. */
  private void pump() {
    if (closed) {
      return;
    }
    if (unavailable) {
      if (inFlight > 0 || probeTimer >= 0) {
        return; // records settle first: resending before an older one failed would reorder its key
      }
      if (!answered && !waiting.isEmpty()) {
        probeTimer = vertx.setTimer(backoff.nextDelayMillis(), t -> {
          probeTimer = -1;
          if (!closed && !waiting.isEmpty() && inFlight == 0) {
            dispatch(take());
          }
          pump();
          updatePause();
          checkDrained();
        });
        return;
      }
      unavailable = false;
      backoff.reset();
      LOG.atInfo().addKeyValue("source", settings.source()).addKeyValue("waiting", waiting.size())
          .addKeyValue("downMs", (System.nanoTime() - unavailableSinceNanos) / 1_000_000)
          .log("sink.available: Kafka acknowledges again; sending what waited");
    }
    while (!waiting.isEmpty() && inFlight < settings.maxPending()) {
      dispatch(take());
    }
  }

  private Entry take() {
    Entry entry = waiting.pollFirstEntry().getValue();
    if (entry.slot != null) {
      waitingBySlot.remove(entry.slot, entry);
    }
    return entry;
  }

  private void updatePause() {
    if (!paused && (unavailable || held() >= settings.maxPending())) {
      paused = true;
      (unavailable ? pausesUnavailable : pausesFull).increment();
      listener.paused(unavailable ? "Kafka is unavailable" : "the Kafka sink is full");
    } else if (paused && !unavailable && held() <= settings.maxPending() / 2) {
      paused = false;
      listener.resumed();
    }
  }

  private void checkDrained() {
    if (held() == 0 && !drainWaiters.isEmpty()) {
      List<Promise<Void>> done = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      done.forEach(Promise::tryComplete);
    }
  }

  private Counter counter(String topic, Result result) {
    return counters.computeIfAbsent(topic, t -> {
      Counter[] c = new Counter[Result.values().length];
      for (Result r : Result.values()) {
        c[r.ordinal()] = Counter.builder("weaver.sink.records").description("Records of a source by outcome in Kafka")
            .tag("source", settings.source()).tag("topic", t).tag("result", r.name().toLowerCase(java.util.Locale.ROOT))
            .register(registry);
      }
      return c;
    })[result.ordinal()];
  }

  /**
   * @return whether sending the record again may succeed: Kafka's retriable errors (a send expired after
   *     {@code delivery.timeout.ms}, not enough replicas, a lost connection) and a sequence error of the
   *     idempotent producer, which means the broker did not write the record
   */
  static boolean retriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException || t instanceof OutOfOrderSequenceException) {
        return true;
      }
    }
    return false;
  }

  private static String keyText(byte[] key) {
    if (key == null) {
      return "";
    }
    String text = new String(key, StandardCharsets.UTF_8);
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }
}
