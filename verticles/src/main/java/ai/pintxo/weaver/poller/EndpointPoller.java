package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.UndecodableFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.http.HttpFailures;
import ai.pintxo.weaver.impl.http.RequestBudget;
import ai.pintxo.weaver.impl.http.ResponseDeadline;
import ai.pintxo.weaver.impl.kafka.DeadLetterWriter;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.pipeline.Lag;
import ai.pintxo.weaver.pipeline.UnitReporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import ai.pintxo.weaver.trace.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one endpoint on its schedule (every interval from start, or at the times of a cron
 * expression) and on demand; holds all of the poller's control flow. A cycle:
 * <ol>
 *   <li>waits for the host's {@link RequestBudget}, then requests the endpoint, with the validators of
 *       the last complete response ({@code If-None-Match}, {@code If-Modified-Since}): a 304 ends the cycle;</li>
 *   <li>on 429, locks the host out for {@code Retry-After} and asks again when the lockout ends, so every
 *       poller on that host waits instead of retrying into the limit;</li>
 *   <li>streams the body through the handler's {@link ResponseReader} into a {@link RecordEmitter},
 *       pausing the response while too many records wait for Kafka; each request, body included, ends
 *       within {@code requestTimeout} ({@link ResponseDeadline});</li>
 *   <li>follows {@code links.next} up to {@code maxPages};</li>
 *   <li>retries a {@link RetriableFailure} (transport error, timeout, 429, 5xx, Kafka) with the jittered,
 *       capped {@link Backoff}: from {@code retryBackoff}, doubling, at most the endpoint's interval (a
 *       retry later than the next scheduled poll would be pointless).</li>
 * </ol>
 * A poll makes at most {@code retries} extra requests, whatever asked for them: a 429 re-asked within a
 * cycle uses up the same retries as a failed cycle tried again.
 *
 * <p>Dead letters hold something to replay: a response that came but cannot be read (its first bytes) and
 * single items that do not fit the record type. A poll that failed without such a payload (no answer, a
 * timeout, an error status, Kafka) is a {@code poll.failed} log line and {@code weaver.poll.failures},
 * not a dead letter: asking again brings the data back, and an empty dead letter per endpoint and retry
 * would look like data loss when nothing was lost.
 *
 * <p>A cycle still running when the next is due makes the next one skip. A scheduled poll while the
 * poller's {@link SourceSink} cannot reach Kafka is deferred ({@code poll.deferred}, once per outage;
 * {@code weaver.poll.deferred}) and runs when the sink resumes: its records could not be acknowledged, and
 * the sink re-sends what earlier polls produced. Runs on the verticle's event loop.
 *
 * @param <T> the record type
 */
final class EndpointPoller<T extends Keyed> {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointPoller.class);

  private final Vertx vertx;
  private final HttpClient client;
  private final EndpointOptions endpoint;
  private final ApiHandler<T> handler;
  private final SourceSink sink;
  private final DeadLetterWriter deadLetters;
  private final ApiPollerOptions options;
  private final ProducedState state;
  private final RequestBudget budget;
  private final String source;
  private final RecordOrigin origin;
  private final Duration interval;
  private final Backoff retryBackoff;
  private final RecordEmitter.Counters counters;
  private final Counter cyclesOk;
  private final Counter cyclesFailed;
  private final Counter notModified;
  private final Counter rateLimited;
  private final Counter deferredPolls;
  private final MeterRegistry registry;
  private final Tracing tracing;
  private String etag;
  private String lastModified;
  private long timer = -1;
  private long retryTimer = -1;
  private boolean running;
  private boolean stopped;
  /** A scheduled poll waits for the sink to resume. */
  private boolean deferred;
  private Future<PollResult> inFlight;
  private UnitReporter reporter;
  private volatile long lastOkNanos;
  private java.util.function.Consumer<Instant> onPoll;

  EndpointPoller(Vertx vertx, HttpClient client, EndpointOptions endpoint, ApiHandler<T> handler,
                 SourceSink sink, DeadLetterWriter deadLetters, ApiPollerOptions options,
                 ProducedState state, MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
    this.handler = handler;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.options = options;
    this.state = state;
    this.registry = registry;
    this.tracing = Tracing.of(vertx);
    this.source = Redact.url(endpoint.getEndpoint());
    this.origin = RecordOrigin.source(source);
    this.interval = endpoint.getInterval().orElse(options.getDefaultInterval());
    this.retryBackoff = new Backoff(options.getRetryBackoff(), interval.compareTo(options.getRetryBackoff()) > 0
        ? interval : options.getRetryBackoff());
    EndpointOptions.RateLimit limit = endpoint.getRateLimit().orElse(options.getDefaultRateLimit());
    this.budget = RequestBudget.forUrl(vertx, URI.create(endpoint.getEndpoint()), limit.requests(), limit.period());
    String dataType = handler.dataType();
    this.counters = new RecordEmitter.Counters(
        Counter.builder("weaver.records.polled").description("Records read from API responses")
            .tag("data_type", dataType).register(registry),
        Counter.builder("weaver.records.produced").description("Records acknowledged by Kafka")
            .tag("topic", handler.topic().name()).register(registry),
        Counter.builder("weaver.records.unchanged").description("Records left out because they equal the last one produced")
            .tag("data_type", dataType).register(registry));
    this.cyclesOk = Counter.builder("weaver.poll.cycles").description("Completed polls of an endpoint")
        .tag("data_type", dataType).tag("result", "ok").register(registry);
    this.cyclesFailed = Counter.builder("weaver.poll.cycles").description("Completed polls of an endpoint")
        .tag("data_type", dataType).tag("result", "failed").register(registry);
    this.notModified = Counter.builder("weaver.poll.not_modified").description("Polls answered 304 Not Modified")
        .tag("data_type", dataType).register(registry);
    this.rateLimited = Counter.builder("weaver.poll.rate_limited").description("Requests answered 429 Too Many Requests")
        .tag("data_type", dataType).register(registry);
    this.deferredPolls = Counter.builder("weaver.poll.deferred").description("Scheduled polls deferred while Kafka was unavailable")
        .tag("data_type", dataType).register(registry);
    deadLetters.counter(handler.topic().name(), "poll");
    deadLetters.counter(handler.topic().name(), "decode");
  }

  /** Starts the schedule: with an interval, polls now and then every interval; with cron, at its next time. */
  void start() {
    start(Duration.ZERO);
  }

  /**
   * @param firstIn with an interval, when the first poll is due: later than now when the endpoint
   *                was polled elsewhere a moment ago (a unit that moved continues its schedule)
   */
  void start(Duration firstIn) {
    if (endpoint.getCron().isPresent()) {
      LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
          .addKeyValue("cron", endpoint.getCron().get()).log("poll.scheduled");
      scheduleCron();
      return;
    }
    LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
        .addKeyValue("interval", interval).addKeyValue("firstInMs", firstIn.toMillis()).log("poll.scheduled");
    if (firstIn.isZero()) {
      scheduledPoll();
      timer = vertx.setPeriodic(interval.toMillis(), id -> scheduledPoll());
    } else {
      timer = vertx.setPeriodic(firstIn.toMillis(), interval.toMillis(), id -> scheduledPoll());
    }
  }

  private void scheduleCron() {
    if (stopped) {
      return;
    }
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime next = endpoint.getCron().orElseThrow().next(now);
    long delay = Math.max(1, Duration.between(now, next).toMillis());
    timer = vertx.setTimer(delay, id -> {
      scheduledPoll();
      scheduleCron();
    });
  }

  /** A poll the schedule asks for: deferred while the sink cannot reach Kafka. */
  private void scheduledPoll() {
    if (sink.available()) {
      poll(false);
      return;
    }
    deferredPolls.increment();
    if (!deferred) {
      deferred = true;
      if (reporter != null) {
        reporter.paused("Kafka is unavailable: the scheduled poll waits");
      }
      LOG.atWarn().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
          .log("poll.deferred: Kafka is unavailable; polling once it acknowledges again");
    }
  }

  /** The sink takes records again: a deferred poll runs now. */
  void sinkResumed() {
    if (deferred && !stopped) {
      deferred = false;
      if (reporter != null) {
        reporter.resumed();
      }
      LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source).log("poll.resumed");
      poll(false);
    }
  }

  /**
   * Stops the schedule and any pending retry.
   *
   * @return completes when the poll in flight, if any, ended (its records acknowledged or not produced)
   */
  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    Future<PollResult> current = inFlight;
    return current == null ? Future.succeededFuture() : current.<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  /** @param onPoll told when each request cycle starts (the unit's checkpoint) */
  void onPoll(java.util.function.Consumer<Instant> onPoll) {
    this.onPoll = onPoll;
  }

  /** @param reporter where this endpoint, a unit of work, reports its state and poll age */
  void report(UnitReporter reporter) {
    this.reporter = reporter;
    long started = System.nanoTime();
    double bound = interval.toMillis() / 1000.0 * 2 + options.getRequestTimeout().toMillis() / 1000.0;
    reporter.lag("poll-age", () -> new Lag("poll-age", (System.nanoTime() - (lastOkNanos == 0 ? started : lastOkNanos)) / 1e9,
        endpoint.getCron().isPresent() ? Double.NaN : bound));
  }

  String dataType() {
    return handler.dataType();
  }

  /** @return the time between scheduled polls (null with a cron schedule) */
  Duration interval() {
    return endpoint.getCron().isPresent() ? null : interval;
  }

  /**
   * Runs one poll unless one is running: a cycle, and its retries while they may help.
   *
   * @param force true to ignore the validators of the last response and the change-only state (a
   *              manual full refresh)
   * @return the first cycle's result; fails only if the cycle could not write its dead letter
   */
  Future<PollResult> poll(boolean force) {
    if (retryTimer >= 0) {
      // A new poll supersedes the last one's pending retry: its request is that retry.
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    return cycle(force, options.getRetries());
  }

  /** @param retriesLeft the poll's extra requests still allowed, for 429s and failed cycles alike */
  private Future<PollResult> cycle(boolean force, int retriesLeft) {
    if (running) {
      LOG.atWarn().addKeyValue("dataType", handler.dataType()).log("poll.skipped: previous poll still running");
      return Future.succeededFuture(PollResult.skipped(handler.dataType()));
    }
    running = true;
    long start = System.nanoTime();
    // One trace per poll: its requests are child spans, its records carry it to the connector.
    Cycle cycle = new Cycle(force, retriesLeft, tracing.sourceEvent("poll " + handler.dataType(), options.getCluster().getPipeline(),
        handler.dataType()));
    if (onPoll != null) {
      onPoll.accept(Instant.now());
    }
    return inFlight = page(endpoint.getEndpoint(), 1, cycle)
        // Records sent before a failure are acknowledged (or not) first, so the counts are final.
        .transform(read -> cycle.settled().map(v -> read))
        .compose(read -> read.succeeded() ? Future.succeededFuture(cycle.result(true, false)) : failed(cycle, read.cause()))
        .onSuccess(result -> {
          long ms = (System.nanoTime() - start) / 1_000_000;
          endSpan(cycle, result);
          if (result.ok()) {
            cyclesOk.increment();
            lastOkNanos = System.nanoTime();
            if (reporter != null) {
              reporter.event();
              reporter.running();
            }
            LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
                .addKeyValue("ok", true).addKeyValue("notModified", result.notModified())
                .addKeyValue("pages", result.pages()).addKeyValue("produced", result.produced())
                .addKeyValue("unchanged", result.unchanged()).addKeyValue("rejectedItems", result.rejectedItems())
                .addKeyValue("ms", ms).log("poll.completed");
            return;
          }
          boolean retry = result.retryable() && cycle.retriesLeft > 0 && !stopped;
          logFailure(cycle, result, retry, ms);
          if (!retry && reporter != null) {
            if (lastOkNanos == 0 || endpoint.getCron().isPresent()) {
              reporter.failed(failureLine(cycle)); // never delivered: it stays starting (not ready) with the error
            } else {
              reporter.backingOff(Instant.now().plus(interval), failureLine(cycle)); // the next scheduled poll tries again
            }
          }
          if (retry) {
            int attempt = options.getRetries() - cycle.retriesLeft + 1;
            long delay = retryBackoff.delayMillis(attempt);
            LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("attempt", attempt)
                .addKeyValue("inMs", delay).log("poll.retry_scheduled");
            if (reporter != null) {
              reporter.backingOff(Instant.now().plusMillis(delay), failureLine(cycle));
            }
            if (retryTimer >= 0) {
              vertx.cancelTimer(retryTimer); // one pending retry per endpoint
            }
            retryTimer = vertx.setTimer(delay, id -> {
              retryTimer = -1;
              cycle(force, cycle.retriesLeft - 1);
            });
          }
        })
        .onFailure(err -> {
          Tracing.fail(cycle.span, "poll aborted: " + err.getMessage());
          LOG.atError().setCause(err).addKeyValue("dataType", handler.dataType())
              .addKeyValue("endpoint", source).log("poll.aborted: {}", err.getMessage());
        })
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  /**
   * Counts a failed cycle and dead-letters it when it holds a payload to replay: a response that came but
   * cannot be read. A {@link RetriableFailure} never does: asking again brings the data back.
   */
  private Future<PollResult> failed(Cycle cycle, Throwable err) {
    if (!(err instanceof WeaverFailure failure)) {
      return Future.failedFuture(err);
    }
    cycle.failure = failure;
    cyclesFailed.increment();
    Counter.builder("weaver.poll.failures").description("Polls that failed (no dead letter unless a payload came)")
        .tag("data_type", handler.dataType()).tag("reason", PollFailures.reason(failure)).register(registry).increment();
    boolean retryable = failure instanceof RetriableFailure;
    if (retryable || cycle.failedBody == null) {
      return Future.succeededFuture(cycle.result(false, retryable));
    }
    return deadLetters.write(handler.topic().name(), null, cycle.failedBody, new DeadLetter("poll", failure.getMessage(),
            PollFailures.status(failure), failure.origin(), Instant.now()))
        .map(v -> cycle.result(false, false));
  }

  private void endSpan(Cycle cycle, PollResult result) {
    if (cycle.span.isRecording()) {
      cycle.span.setAttribute(Tracing.RECORDS, (long) result.produced());
    }
    if (result.ok()) {
      cycle.span.end();
    } else {
      Tracing.fail(cycle.span, cycle.failure == null ? "poll failed" : cycle.failure.getMessage());
    }
  }

  private String failureLine(Cycle cycle) {
    return cycle.failure == null ? "poll failed" : cycle.failure.getMessage();
  }

  /** One line per failed cycle: WARN while a retry follows, ERROR when the poll gives up. */
  private void logFailure(Cycle cycle, PollResult result, boolean retry, long ms) {
    WeaverFailure failure = cycle.failure;
    (retry ? LOG.atWarn() : LOG.atError()).addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
        .addKeyValue("reason", PollFailures.reason(failure)).addKeyValue("retryFollows", retry)
        .addKeyValue("deadLettered", !(failure instanceof RetriableFailure) && cycle.failedBody != null)
        .addKeyValue("pages", result.pages()).addKeyValue("produced", result.produced())
        .addKeyValue("unchanged", result.unchanged()).addKeyValue("rejectedItems", result.rejectedItems())
        .addKeyValue("ms", ms).log("poll.failed: {}", failure.getMessage());
  }

  /** Fetches one page and, if it links to a next one, the rest. */
  private Future<Void> page(String url, int page, Cycle cycle) {
    return request(url, page, cycle).compose(next -> {
      cycle.pages = page;
      if (next.isEmpty()) {
        return Future.succeededFuture();
      }
      if (page >= endpoint.getMaxPages()) {
        LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("maxPages", endpoint.getMaxPages())
            .log("poll.max_pages_reached: the remaining pages wait for the next poll");
        return Future.succeededFuture();
      }
      String nextUrl;
      try {
        nextUrl = URI.create(url).resolve(next.get()).toString();
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new UndecodableFailure(origin, source + " links to an invalid next page '"
            + next.get() + "'", e));
      }
      return page(nextUrl, page + 1, cycle);
    });
  }

  /** Requests a page within the host's budget; a 429 asks again after the lockout while the poll has retries left. */
  private Future<Optional<String>> request(String url, int page, Cycle cycle) {
    return budget.permit(vertx)
        .compose(v -> {
          // The clock starts after the budget's wait: a lockout is not the server's slowness.
          ResponseDeadline deadline = new ResponseDeadline(vertx, options.getRequestTimeout(), "requestTimeout", origin,
              Redact.url(url));
          return deadline.bound(exchange(url, page, cycle, deadline));
        })
        .recover(err -> {
          if (!(err instanceof PollFailures.RateLimitedFailure limited) || cycle.retriesLeft <= 0 || stopped) {
            return Future.failedFuture(err);
          }
          cycle.retriesLeft--;
          LOG.atWarn().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
              .addKeyValue("retryAfterMs", limited.retryAfter().map(Duration::toMillis).orElse(0L))
              .addKeyValue("retriesLeft", cycle.retriesLeft)
              .log("poll.rate_limited: host locked out, asking again when the lockout ends");
          return request(url, page, cycle);
        });
  }

  /** Sends one request and reads its response. */
  private Future<Optional<String>> exchange(String url, int page, Cycle cycle, ResponseDeadline deadline) {
    boolean conditional = page == 1 && endpoint.isConditional() && !cycle.force;
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setFollowRedirects(true)
        .setConnectTimeout(options.getRequestTimeout().toMillis())
        .setIdleTimeout(options.getRequestTimeout().toMillis())
        .putHeader("Accept", "application/json")
        .putHeader("User-Agent", options.getCluster().userAgent(options.getUserAgent()));
    if (conditional && etag != null) {
      request.putHeader("If-None-Match", etag);
    }
    if (conditional && lastModified != null) {
      request.putHeader("If-Modified-Since", lastModified);
    }
    return tracing.within(vertx, cycle.span, () -> client.request(request)
        .compose(req -> {
          deadline.attach(req);
          return req.send();
        }))
        .recover(err -> Future.failedFuture(HttpFailures.transport(origin, err, options.getRequestTimeout(),
            "request to " + Redact.url(url) + " failed")))
        .compose(response -> switch (response.statusCode()) {
          case 200 -> stream(response, url, page, cycle, deadline);
          case 304 -> response.end().map(v -> {
            cycle.notModified = true;
            notModified.increment();
            LOG.atInfo().addKeyValue("dataType", handler.dataType()).addKeyValue("endpoint", source)
                .log("poll.not_modified: nothing produced");
            return Optional.<String>empty();
          });
          case 429 -> rateLimited(response, url);
          default -> PollFailures.head(response).compose(body -> Future.<Optional<String>>failedFuture(HttpFailures.status(origin,
              response.statusCode(), response.getHeader("Retry-After"), Redact.url(url) + " answered HTTP "
                  + response.statusCode() + " " + response.statusMessage() + PollFailures.excerpt(body))));
        });
  }

  private Future<Optional<String>> rateLimited(HttpClientResponse response, String url) {
    rateLimited.increment();
    Duration lockout = RequestBudget.retryAfter(response.getHeader("Retry-After"), options.getRetryBackoff());
    budget.lockout(lockout);
    return PollFailures.head(response).compose(body -> Future.failedFuture(new PollFailures.RateLimitedFailure(origin, lockout,
        Redact.url(url) + " answered HTTP 429 " + response.statusMessage())));
  }

  /** Reads the body through the handler as it arrives, producing records on the way. */
  private Future<Optional<String>> stream(HttpClientResponse response, String url, int page, Cycle cycle,
                                          ResponseDeadline deadline) {
    Promise<Optional<String>> done = Promise.promise();
    ResponseReader<T> reader = handler.reader(Redact.url(url));
    RecordEmitter<T> emitter = new RecordEmitter<>(handler.topic(), sink, deadLetters, state, cycle.force, source,
        options.getProduceBatch(), options.getProduceBatch(), counters, tracing.headers(cycle.span, List.of()));
    cycle.emitters.add(emitter);
    Buffer head = Buffer.buffer();
    long[] bytes = {0};
    boolean[] paused = {false};
    String newEtag = response.getHeader("ETag");
    String newLastModified = response.getHeader("Last-Modified");
    emitter.drainHandler(() -> {
      if (paused[0] && !done.future().isComplete()) {
        paused[0] = false;
        response.resume();
      }
    });
    java.util.function.BiConsumer<WeaverFailure, byte[]> failWith = (failure, body) -> {
      if (done.future().isComplete()) {
        return;
      }
      cycle.failedBody = body; // before failing: the cycle's dead letter is written as soon as the future fails
      if (done.tryFail(failure)) {
        emitter.abandon();
        response.request().reset();
      }
    };
    response.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      bytes[0] += chunk.length();
      if (head.length() < PollFailures.MAX_DEAD_LETTER_BODY) {
        head.appendBuffer(chunk, 0, Math.min(chunk.length(), PollFailures.MAX_DEAD_LETTER_BODY - head.length()));
      }
      if (bytes[0] > options.getMaxResponseBytes()) {
        failWith.accept(new PollFailures.TooLargeFailure(origin, source + " sent more than maxResponseBytes="
            + options.getMaxResponseBytes() + " bytes" + PollFailures.producedNote(emitter)), head.getBytes());
        return;
      }
      try {
        reader.feed(chunk.getBytes(), emitter);
      } catch (UndecodableFailure e) {
        failWith.accept(PollFailures.unreadable(e, emitter), head.getBytes());
        return;
      }
      if (emitter.saturated() && !paused[0]) {
        paused[0] = true;
        response.pause();
      }
    });
    deadline.whileReading(timeout -> failWith.accept(timeout, null),
        () -> " (" + bytes[0] + " bytes read" + PollFailures.producedNote(emitter) + ")");
    response.exceptionHandler(err -> failWith.accept(HttpFailures.transport(origin, err, options.getRequestTimeout(), "reading "
        + Redact.url(url) + " failed after " + bytes[0] + " bytes" + PollFailures.producedNote(emitter)), null));
    response.endHandler(v -> {
      if (done.future().isComplete()) {
        return;
      }
      deadline.finish();
      // A large body's remaining work (a JSON:API page is parsed whole) runs on a worker: ResponseReader.end(Sink, Vertx).
      reader.end(emitter, vertx).onComplete(read -> {
        if (done.future().isComplete()) {
          return;
        }
        if (read.failed()) {
          Throwable err = read.cause();
          failWith.accept(err instanceof UndecodableFailure e ? PollFailures.unreadable(e, emitter)
              : new UndecodableFailure(origin, "reading " + source + " failed: " + err, err), head.getBytes());
          return;
        }
        emitter.complete().onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(new PollFailures.ProduceFailure(origin, "producing to " + handler.topic().name() + " failed: " + ar.cause(), ar.cause()));
            return;
          }
          if (page == 1 && !cycle.force) {
            // Validators are kept only once everything of the response is in Kafka: a failed cycle asks in full again.
            etag = newEtag;
            lastModified = newLastModified;
          }
          done.tryComplete(read.result());
        });
      });
    });
    return done.future();
  }

  /** The running totals of one cycle over its pages. */
  private final class Cycle {
    final boolean force;
    /** Extra requests the poll may still make: a 429 asked again and a failed cycle tried again use them alike. */
    int retriesLeft;
    boolean notModified;
    int pages;
    /** The emitter of each response read, to count what they produced once they settled. */
    final java.util.List<RecordEmitter<?>> emitters = new java.util.ArrayList<>();
    /** The start of the response that made the cycle fail, for its dead letter; null when there was none. */
    byte[] failedBody;
    WeaverFailure failure;

    /** The poll's trace: from the first request until every record is acknowledged. */
    final Span span;

    Cycle(boolean force, int retriesLeft, Span span) {
      this.force = force;
      this.retriesLeft = retriesLeft;
      this.span = span;
    }

    /** @return completes, never fails, once what every response sent to Kafka was acknowledged or failed */
    Future<Void> settled() {
      return Future.join(emitters.stream().map(RecordEmitter::settled).toList()).<Void>mapEmpty().otherwiseEmpty();
    }

    PollResult result(boolean ok, boolean retryable) {
      int produced = emitters.stream().mapToInt(RecordEmitter::produced).sum();
      int unchanged = emitters.stream().mapToInt(RecordEmitter::unchanged).sum();
      int rejected = emitters.stream().mapToInt(RecordEmitter::rejected).sum();
      return new PollResult(handler.dataType(), produced, unchanged, rejected, pages, notModified, ok, retryable);
    }
  }

}
