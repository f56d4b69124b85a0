package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.PayloadDecodeException;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.kafka.DeadLetterWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one endpoint: at start, then every interval. A cycle fetches the response without
 * blocking, parses it on a worker, dead-letters the items (or the whole response) that cannot be
 * read, and produces the records keyed by document id, waiting for the broker's acknowledgements
 * batch by batch. A cycle still running when the next is due makes the next one skip. Runs on the
 * verticle's event loop.
 *
 * @param <T> the record type
 */
final class EndpointPoller<T extends Keyed> {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointPoller.class);
  /** Dead letters carry at most this much of a failed response: Kafka's default message limit is 1 MB. */
  private static final int MAX_DEAD_LETTER_BODY = 512 * 1024;
  private static final List<Header> HEADERS = List.of(
      new RecordHeader("contentType", "application/json".getBytes(StandardCharsets.UTF_8)),
      new RecordHeader("version", "1".getBytes(StandardCharsets.UTF_8)));

  private final Vertx vertx;
  private final WebClient client;
  private final EndpointOptions endpoint;
  private final ApiHandler<T> handler;
  private final KafkaWriteStream<byte[], byte[]> producer;
  private final DeadLetterWriter deadLetters;
  private final ApiPollerOptions options;
  private final String source;
  private final Duration interval;
  private final Counter polled;
  private final Counter produced;
  private final Counter cyclesOk;
  private final Counter cyclesFailed;
  private final MeterRegistry registry;
  private long timer = -1;
  private long retryTimer = -1;
  private int failedAttempts;
  private boolean running;

  EndpointPoller(Vertx vertx, WebClient client, EndpointOptions endpoint, ApiHandler<T> handler,
                 KafkaWriteStream<byte[], byte[]> producer, DeadLetterWriter deadLetters, ApiPollerOptions options,
                 MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
    this.handler = handler;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.options = options;
    this.registry = registry;
    this.source = Redact.url(endpoint.getEndpoint());
    this.interval = endpoint.getInterval().orElse(options.getDefaultInterval());
    String dataType = handler.dataType();
    this.polled = Counter.builder("weaver.records.polled").description("Records read from API responses")
        .tag("data_type", dataType).register(registry);
    this.produced = Counter.builder("weaver.records.produced").description("Records acknowledged by Kafka")
        .tag("topic", handler.topic().name()).register(registry);
    this.cyclesOk = Counter.builder("weaver.poll.cycles").description("Completed polls of an endpoint")
        .tag("data_type", dataType).tag("result", "ok").register(registry);
    deadLetters.counter(handler.topic().name(), "poll");
    deadLetters.counter(handler.topic().name(), "decode");
    this.cyclesFailed = Counter.builder("weaver.poll.cycles").description("Completed polls of an endpoint")
        .tag("data_type", dataType).tag("result", "failed").register(registry);
  }

  /** Polls now, then every interval. */
  void start() {
    LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
        .addKeyValue("interval", interval).log("poll.scheduled");
    poll();
    timer = vertx.setPeriodic(interval.toMillis(), id -> poll());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
  }

  String dataType() {
    return handler.dataType();
  }

  /**
   * Runs one cycle unless one is running.
   *
   * @return the cycle's result; fails only if the cycle could not write its dead letters
   */
  Future<PollResult> poll() {
    if (running) {
      LOG.atWarn().addKeyValue("dataType", handler.dataType()).log("poll.skipped: previous poll still running");
      return Future.succeededFuture(new PollResult(handler.dataType(), 0, 0, false, false));
    }
    running = true;
    long start = System.nanoTime();
    return fetch()
        .compose(this::parse)
        .compose(parsed -> deadLetterItems(parsed).compose(v -> produceAll(parsed.records())
                .recover(err -> Future.failedFuture(new PollFailure("produce", 0, "producing to " + handler.topic().name()
                    + " failed: " + err.getMessage(), null))))
            .map(n -> new PollResult(handler.dataType(), n, parsed.failures().size(), true, false)))
        .recover(err -> {
          if (err instanceof PollFailure failure) {
            cyclesFailed.increment();
            Counter.builder("weaver.poll.failures").description("Polls that produced nothing")
                .tag("data_type", handler.dataType()).tag("reason", failure.reason).register(registry).increment();
            if (failure.body == null && failure.reason.equals("produce")) {
              // Kafka itself failed: nothing to dead-letter (and a dead letter would fail too); retried below.
              LOG.atError().addKeyValue("dataType", handler.dataType()).log("poll.produce_failed: {}", failure.getMessage());
              return Future.succeededFuture(new PollResult(handler.dataType(), 0, 0, false, true));
            }
            return deadLetters.write(handler.topic().name(), null, failure.body, new DeadLetter("poll", failure.getMessage(),
                    failure.status, RecordOrigin.source(source), Instant.now()))
                .map(v -> new PollResult(handler.dataType(), 0, 0, false, failure.retryable()));
          }
          return Future.failedFuture(err);
        })
        .onSuccess(result -> {
          if (result.ok()) {
            cyclesOk.increment();
            failedAttempts = 0;
          } else if (result.retryable() && failedAttempts < options.getRetries()) {
            long delay = options.getRetryBackoff().toMillis() << failedAttempts++;
            LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("attempt", failedAttempts)
                .addKeyValue("inMs", delay).log("poll.retry_scheduled");
            retryTimer = vertx.setTimer(delay, id -> poll());
          }
          LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
              .addKeyValue("ok", result.ok()).addKeyValue("produced", result.produced())
              .addKeyValue("rejectedItems", result.rejectedItems())
              .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000).log("poll.completed");
        })
        .onFailure(err -> LOG.atError().setCause(err).addKeyValue("dataType", handler.dataType())
            .addKeyValue("endpoint", source).log("poll.aborted: {}", err.getMessage()))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Buffer> fetch() {
    return client.getAbs(endpoint.getEndpoint())
        .timeout(options.getRequestTimeout().toMillis())
        .putHeader("Accept", "application/json")
        .putHeader("User-Agent", options.getUserAgent())
        .send()
        .recover(err -> Future.failedFuture(new PollFailure("transport", 0,
            "request to " + source + " failed: " + err.getMessage(), null)))
        .compose(this::checkResponse);
  }

  private Future<Buffer> checkResponse(HttpResponse<Buffer> response) {
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    if (response.statusCode() != 200) {
      return Future.failedFuture(new PollFailure("http_" + response.statusCode(), response.statusCode(),
          source + " answered HTTP " + response.statusCode() + " " + response.statusMessage(), cap(body)));
    }
    if (body.length() > options.getMaxResponseBytes()) {
      return Future.failedFuture(new PollFailure("too_large", 200, source + " answered " + body.length()
          + " bytes, more than maxResponseBytes=" + options.getMaxResponseBytes(), cap(body)));
    }
    return Future.succeededFuture(body);
  }

  private Future<ParsedResponse<T>> parse(Buffer body) {
    return vertx.executeBlocking(() -> handler.parse(body.getBytes(), source), false)
        .recover(err -> err instanceof PayloadDecodeException decode
            ? Future.failedFuture(new PollFailure("unreadable", 200, decode.getMessage(), cap(body)))
            : Future.failedFuture(err))
        .onSuccess(parsed -> polled.increment(parsed.records().size()));
  }

  private Future<Void> deadLetterItems(ParsedResponse<T> parsed) {
    List<Future<Void>> writes = new ArrayList<>();
    for (ParsedResponse.ItemFailure failure : parsed.failures()) {
      writes.add(deadLetters.write(handler.topic().name(), null, failure.item(),
          new DeadLetter("decode", failure.error().getMessage(), 0, RecordOrigin.source(source), Instant.now())));
    }
    return Future.all(writes).mapEmpty();
  }

  private Future<Integer> produceAll(List<T> records) {
    return produceFrom(records, 0);
  }

  private Future<Integer> produceFrom(List<T> records, int from) {
    if (from >= records.size()) {
      return Future.succeededFuture(records.size());
    }
    int to = Math.min(records.size(), from + options.getProduceBatch());
    Topic<T> topic = handler.topic();
    List<Future<?>> acks = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      T record = records.get(i);
      acks.add(producer.send(new ProducerRecord<>(topic.name(), null, topic.keySerde().encode(record.key()),
          topic.encode(record), HEADERS)));
    }
    return Future.all(acks)
        .onSuccess(v -> produced.increment(acks.size()))
        .compose(v -> produceFrom(records, to));
  }

  private static byte[] cap(Buffer body) {
    return body.length() <= MAX_DEAD_LETTER_BODY ? body.getBytes() : body.getBytes(0, MAX_DEAD_LETTER_BODY);
  }

  /**
   * The result of one poll.
   *
   * @param dataType      the endpoint's data type
   * @param produced      records acknowledged by Kafka
   * @param rejectedItems items dead-lettered because they did not fit the record type
   * @param ok            whether the response could be read
   * @param retryable     whether a failure looks transient (transport error, 429, 5xx)
   */
  record PollResult(String dataType, int produced, int rejectedItems, boolean ok, boolean retryable) {
  }

  /** A poll that produced nothing: the response could not be fetched or read. */
  private static final class PollFailure extends RuntimeException {
    final String reason;
    final int status;
    final transient byte[] body;

    PollFailure(String reason, int status, String message, byte[] body) {
      super(message, null, false, false);
      this.reason = reason;
      this.status = status;
      this.body = body;
    }

    boolean retryable() {
      return reason.equals("transport") || reason.equals("produce") || status == 429 || status >= 500;
    }
  }
}
