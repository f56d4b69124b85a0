package ai.pintxo.weaver.connector;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import ai.pintxo.weaver.codecs.failure.UndecodableFailure;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.feed.DocumentFeeder;
import ai.pintxo.weaver.feed.FeedOutcome;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.time.TimeSource;
import ai.pintxo.weaver.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record from Kafka to Vespa: decode, process, feed. A record ends {@code done} when
 * Vespa acknowledged it or its dead letter is written: bytes that do not decode ({@code decode}),
 * a record the processor refuses with a {@link PermanentFailure} ({@code process}), an unexpected
 * exception, which is a bug and is reported loudly by {@link UnexpectedFailures} ({@code process},
 * with the exception class), and a document Vespa refuses for good ({@code feed}). It ends
 * {@code released}, not done, only when the connector stops before that.
 *
 * <p>Threading: confined to the connector's event loop.
 */
final class RecordHandler {

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnectorVerticle.class);
  private static final long DEAD_LETTER_RETRY_MILLIS = 1000;

  /** Where a record's journey ends. */
  interface Settlement {

    /** Fed or dead-lettered: may be committed. */
    void done(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress);

    /** Left unfinished (stopping): read again after a restart. */
    void released(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress);
  }

  private final Vertx vertx;
  private final Map<String, TopicRoute<?>> routes;
  private final DocumentFeeder feeder;
  private final DeadLetterWriter deadLetters;
  private final UnexpectedFailures unexpected;
  private final TimeSource time;
  private final Settlement settlement;
  private final Tracing tracing;
  private int deadLettersInFlight;
  private boolean stopping;

  RecordHandler(Vertx vertx, Map<String, TopicRoute<?>> routes, DocumentFeeder feeder, DeadLetterWriter deadLetters,
                UnexpectedFailures unexpected, TimeSource time, Settlement settlement) {
    this.vertx = vertx;
    this.routes = routes;
    this.feeder = feeder;
    this.deadLetters = deadLetters;
    this.unexpected = unexpected;
    this.time = time;
    this.settlement = settlement;
    this.tracing = Tracing.of(vertx);
  }

  /**
   * A handler writing dead letters with {@code producer}; their counters are registered up front, so they show at 0.
   *
   * @return the handler
   */
  static RecordHandler create(Vertx vertx, MeterRegistry registry, Map<String, TopicRoute<?>> routes,
                              KafkaWriteStream<byte[], byte[]> producer, DocumentFeeder feeder, TimeSource time, Settlement settlement) {
    DeadLetterWriter deadLetters = new DeadLetterWriter(producer, registry);
    for (String topic : routes.keySet()) {
      for (String stage : new String[] {"decode", "process", "feed"}) {
        deadLetters.counter(topic, stage);
      }
    }
    return new RecordHandler(vertx, routes, feeder, deadLetters, new UnexpectedFailures(registry), time, settlement);
  }

  void handle(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress) {
    // The record's trace goes on here: a span until it is settled, current while this thread works on it.
    Span span = tracing.process(record);
    try (Scope ignored = tracing.current(span)) {
      TopicRoute<?> route = routes.get(record.topic());
      if (route == null) {
        deadLetter(record, progress, "process", "no processor for topic '" + record.topic() + "'", 0, null, span);
        return;
      }
      handle(route, record, progress, span);
    }
  }

  private <T> void handle(TopicRoute<T> route, ConsumerRecord<byte[], byte[]> record, PartitionProgress progress, Span span) {
    T value;
    DocumentOperation operation;
    String stage = "decode";
    try {
      if (record.value() == null && ReorgHeaders.isRemove(record.headers())) {
        stage = "process";
        operation = route.remove(record); // a reorg took the document's only writes back
      } else {
        value = route.decode(record);
        stage = "process";
        operation = route.process(value);
      }
    } catch (UndecodableFailure e) {
      deadLetter(record, progress, e.stage(), e.getMessage(), 0, null, span);
      return;
    } catch (PermanentFailure e) {
      // The processor's origin may be only the topic: the dead letter gets the record's own.
      deadLetter(record, progress, e.stage(), "cannot make a document of " + origin(record) + ": " + e.getMessage(), e.status(), null,
          span);
      return;
    } catch (RuntimeException e) {
      String error = unexpected.report(record.topic(), stage, route.processor(), origin(record), e);
      deadLetter(record, progress, stage, error, 0, e.getClass().getName(), span);
      return;
    }
    if (span.isRecording()) {
      span.setAttribute(Tracing.DOCUMENT, operation.id().toString());
    }
    feeder.feed(operation, span, route.urgent).onComplete(ar -> {
      try (Scope ignored = tracing.current(span)) {
        if (ar.failed()) {
          settlement.released(record, progress); // feeder closed while stopping: left uncommitted, fed again after restart
          span.addEvent("released: the connector stopped before Vespa answered");
          span.end();
          return;
        }
        FeedOutcome outcome = ar.result();
        if (outcome.success()) {
          route.fed.increment();
          settlement.done(record, progress);
          span.end();
        } else {
          route.rejected.increment();
          deadLetter(record, progress, "feed", "Vespa answered " + outcome.status() + " for " + operation.id() + ": " + outcome.message(),
              outcome.status(), null, span);
        }
      }
    });
  }

  /** The span ends when the dead letter is written (the record is then done) or left for a restart. */
  private void deadLetter(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress, String stage, String error, int status,
                          String exception, Span span) {
    DeadLetter letter = new DeadLetter(stage, error, status, origin(record), time.now(), exception);
    deadLettersInFlight++;
    write(record, letter, span)
        .onComplete(ar -> deadLettersInFlight--)
        .onSuccess(v -> {
          settlement.done(record, progress);
          Tracing.fail(span, "dead-lettered at " + stage + ": " + error);
        })
        .onFailure(err -> {
          settlement.released(record, progress);
          Tracing.fail(span, "dead letter not written: " + err);
        });
  }

  /**
   * Retries a failed dead-letter write until it lands or the connector stops: the record may not be committed before.
   * The dead letter carries the record's trace context, so replaying it continues the same trace.
   */
  private Future<Void> write(ConsumerRecord<byte[], byte[]> record, DeadLetter letter, Span span) {
    return deadLetters.write(record.topic(), record.key(), record.value(), letter, tracing.carried(span, record.headers())).recover(err -> {
      if (stopping) {
        return Future.failedFuture(err);
      }
      LOG.atError().addKeyValue("origin", letter.origin()).log("connector.dead_letter_write_failed: {}; retrying", err.toString());
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(DEAD_LETTER_RETRY_MILLIS, t -> write(record, letter, span).onComplete(retry));
      return retry.future();
    });
  }

  /** The connector stops: a failed dead-letter write is no longer retried. */
  void stopping() {
    stopping = true;
  }

  /**
   * Lets dead-letter writes already started finish, so their records can be committed.
   *
   * @return completes when none is in flight, or after {@code max}
   */
  Future<Void> settled(Duration max) {
    if (deadLettersInFlight == 0) {
      return Future.succeededFuture();
    }
    long deadline = time.nanoTime() + max.toNanos();
    Promise<Void> promise = Promise.promise();
    vertx.setPeriodic(20, id -> {
      if (deadLettersInFlight == 0 || time.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      }
    });
    return promise.future();
  }

  private static RecordOrigin origin(ConsumerRecord<byte[], byte[]> record) {
    return new RecordOrigin(record.topic(), record.partition(), record.offset());
  }
}
