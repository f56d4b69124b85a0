package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.realtime.StreamOptions;
import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.http.RequestBudget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-time stream (server-sent events or a WebSocket, see {@link StreamConnection}) that stays up: it reconnects after any end (server close, network
 * failure, an {@code error} event, or silence longer than the timeout, since a dead TCP connection
 * can look open for hours). A connection that delivered at least one event is reconnected at once
 * and resets the backoff: a load balancer's maximum connection age or a provider's rotation is not a
 * failure, and waiting would leave every feed without updates. Jittered exponential backoff applies
 * only to connections that fail before delivering (refused, unreachable, or ended before their first
 * event), and also resets once a connection has been stable; it waits out 429 lockouts within a shared {@link RequestBudget}; and ahead of the
 * server's own limit it opens a replacement, switching over when the new one delivers its first
 * event (make before break: the two overlap briefly, so the observer sees some events twice and
 * must deduplicate). A refusal (4xx other than 429) stops it: reconnecting would be refused again.
 *
 * <p>{@link #pause()} stops reading while the owner cannot take more (its Kafka sink is full or Kafka is
 * down): the silence that follows is not taken for a dead stream, no rotation starts, and a connection
 * that ends meanwhile is reopened only once {@link #resume() resumed}, so a stalled consumer does not
 * spend the host's request budget on connections it could not read.
 *
 * <p>Threading: confined to the context that started it.
 */
public final class ResilientStream implements StreamConnection.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ResilientStream.class);

  /** What the stream tells its owner. */
  public interface Observer {
    /** An event arrived. */
    void event(SseEvent event);

    /** The server refused the request (a 4xx other than 429); the stream has stopped. The owner logs it (the stream does not). */
    void refused(int status, String body);

    /** A connection is up (the first, a reconnect or a rotation). */
    default void connected() {
    }

    /** The stream is down and reconnects after {@code delay}; {@code why} is one line. */
    default void backingOff(Duration delay, String why) {
    }
  }

  private final Vertx vertx;
  private final StreamConnection.Factory connections;
  private final String name;
  private final StreamOptions options;
  private final RequestBudget budget;
  private final Observer observer;
  private final Backoff backoff;
  private StreamConnection current;
  private StreamConnection replacement;
  /** The current connection delivered an event: its end is not a failure (see the class comment). */
  private boolean delivered;
  private long lastActivityNanos;
  private long watchdog = -1;
  private long rotation = -1;
  private long reconnect = -1;
  private boolean connecting;
  private boolean stopped;
  private boolean paused;
  private long reconnects;

  /**
   * @param connections opens one connection per attempt
   * @param name        names the stream in logs; the URL may hold a token and is never logged whole
   */
  public ResilientStream(Vertx vertx, StreamConnection.Factory connections, String name, StreamOptions options,
                         RequestBudget budget, Observer observer) {
    this.vertx = vertx;
    this.connections = connections;
    this.name = name;
    this.options = options;
    this.budget = budget;
    this.observer = observer;
    this.backoff = new Backoff(options.minBackoff(), options.maxBackoff());
  }

  /** Connects, and keeps connected until {@link #stop()}. */
  public void start() {
    long check = Math.max(50, options.silenceTimeout().toMillis() / 4);
    watchdog = vertx.setPeriodic(check, t -> checkSilence());
    connect();
  }

  /** @return the name it was given */
  public String name() {
    return name;
  }

  /** Stops reading until {@link #resume()}; see the class comment. */
  public void pause() {
    if (paused || stopped) {
      return;
    }
    paused = true;
    if (current != null) {
      current.pause();
    }
    if (replacement != null) {
      replacement.pause();
    }
    LOG.atInfo().addKeyValue("stream", name).log("stream.paused: the consumer cannot take more");
  }

  /** Reads again; reconnects if the connection ended while paused. */
  public void resume() {
    if (!paused || stopped) {
      return;
    }
    paused = false;
    // The silence timeout counts from now: the pause was ours, not the server's.
    lastActivityNanos = System.nanoTime();
    if (current != null) {
      current.resume();
    }
    if (replacement != null) {
      replacement.resume();
    }
    LOG.atInfo().addKeyValue("stream", name).log("stream.resumed");
    if (current == null && reconnect < 0) {
      connect();
    }
  }

  /** @return whether the stream is paused */
  public boolean paused() {
    return paused;
  }

  /** @return whether a connection is open now (it may not have delivered yet) */
  public boolean connected() {
    return current != null;
  }

  /** @return reconnections so far */
  public long reconnects() {
    return reconnects;
  }

  private void connect() {
    if (stopped || connecting || paused) {
      return; // paused: resume() connects
    }
    connecting = true;
    budget.permit(vertx).compose(v -> {
      StreamConnection connection = connections.create(this);
      if (paused) {
        connection.pause(); // paused while waiting for the budget
      }
      return connection.open().map(connection);
    }).onComplete(ar -> {
      connecting = false;
      if (stopped) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.succeeded()) {
        current = ar.result();
        delivered = false;
        if (paused) {
          current.pause();
        }
        lastActivityNanos = System.nanoTime();
        LOG.atInfo().addKeyValue("stream", name).addKeyValue("reconnects", reconnects).log("stream.connected");
        StreamConnection connected = current;
        vertx.setTimer(options.stablePeriod().toMillis(), t -> {
          if (current == connected) {
            backoff.reset();
          }
        });
        scheduleRotation();
        observer.connected();
      } else {
        failed(ar.cause());
      }
    });
  }

  private void failed(Throwable cause) {
    if (cause instanceof RetriableFailure retriable && retriable.status() == 429) {
      Duration lockout = retriable.retryAfter().orElse(options.defaultLockout());
      budget.lockout(lockout);
      LOG.atWarn().addKeyValue("stream", name).addKeyValue("lockoutMs", lockout.toMillis()).log("stream.rate_limited");
      scheduleReconnect(lockout.toMillis(), "rate limited (429)");
      return;
    }
    if (cause instanceof PermanentFailure refused) {
      // The owner logs the refusal with what it means (a missing key, a bad subscription): one ERROR line per refusal.
      LOG.atDebug().addKeyValue("stream", name).addKeyValue("status", refused.status()).log("stream.refused: {}", refused.getMessage());
      stop();
      observer.refused(refused.status(), refused instanceof StreamRefusedException s ? s.body() : refused.getMessage());
      return;
    }
    long delay = backoff.nextDelayMillis();
    LOG.atWarn().addKeyValue("stream", name).addKeyValue("retryInMs", delay).addKeyValue("failures", backoff.failures())
        .log("stream.connect_failed: {}", cause.getMessage());
    scheduleReconnect(delay, "connect failed: " + cause.getMessage());
  }

  private void scheduleReconnect(long delayMillis, String why) {
    if (stopped || reconnect >= 0) {
      return;
    }
    reconnects++;
    observer.backingOff(Duration.ofMillis(delayMillis), why);
    reconnect = vertx.setTimer(Math.max(1, delayMillis), t -> {
      reconnect = -1;
      connect();
    });
  }

  private void scheduleRotation() {
    if (rotation >= 0) {
      vertx.cancelTimer(rotation);
    }
    rotation = vertx.setTimer(options.rotateAfter().toMillis(), t -> {
      rotation = -1;
      if (stopped || replacement != null || current == null) {
        return;
      }
      if (paused) {
        scheduleRotationRetry(); // a replacement could not deliver the event that switches over
        return;
      }
      LOG.atInfo().addKeyValue("stream", name).log("stream.rotating: opening a replacement before the server's limit");
      budget.permit(vertx).compose(v -> {
        StreamConnection next = connections.create(this);
        replacement = next;
        return next.open();
      }).onFailure(err -> {
        replacement = null;
        scheduleRotationRetry();
      });
    });
  }

  private void scheduleRotationRetry() {
    if (!stopped && rotation < 0) {
      rotation = vertx.setTimer(options.minBackoff().toMillis() * 10, t -> {
        rotation = -1;
        scheduleRotation();
      });
    }
  }

  @Override
  public void event(StreamConnection connection, SseEvent event) {
    if (connection == replacement) {
      // The replacement works: it becomes the stream, the old connection goes.
      StreamConnection old = current;
      current = replacement;
      replacement = null;
      delivered = false;
      lastActivityNanos = System.nanoTime();
      if (old != null) {
        old.close();
      }
      LOG.atInfo().addKeyValue("stream", name).log("stream.rotated");
      scheduleRotation();
    } else if (connection != current) {
      return; // a connection already given up
    }
    if ("error".equals(event.event())) {
      LOG.atWarn().addKeyValue("stream", name).log("stream.error_event: {}; reconnecting", abbreviate(event.data()));
      long delay = nextDelayMillis();
      drop(connection);
      scheduleReconnect(delay, "error event: " + abbreviate(event.data()));
      return;
    }
    delivered = true;
    observer.event(event);
  }

  @Override
  public void activity(StreamConnection connection) {
    if (connection == current) {
      lastActivityNanos = System.nanoTime();
    }
  }

  @Override
  public void ended(StreamConnection connection, Throwable cause) {
    if (connection == replacement) {
      replacement = null;
      scheduleRotationRetry();
      return;
    }
    if (connection != current || stopped) {
      return;
    }
    long delay = nextDelayMillis();
    current = null;
    LOG.atWarn().addKeyValue("stream", name).addKeyValue("retryInMs", delay)
        .log("stream.disconnected: {}", cause == null ? "the server closed the stream" : cause.toString());
    scheduleReconnect(delay, cause == null ? "the server closed the stream" : cause.toString());
  }

  private void checkSilence() {
    if (!paused && current != null && System.nanoTime() - lastActivityNanos > options.silenceTimeout().toNanos()) {
      LOG.atWarn().addKeyValue("stream", name).addKeyValue("silentMs", options.silenceTimeout().toMillis())
          .log("stream.silent: no event or keep-alive, reconnecting");
      long delay = nextDelayMillis();
      drop(current);
      scheduleReconnect(delay, "silent for " + options.silenceTimeout().toMillis() + " ms");
    }
  }

  /**
   * @return 0 after a connection that delivered (and the backoff starts over), else the backoff's
   *     next delay: only connections that fail before delivering back off
   */
  private long nextDelayMillis() {
    if (delivered) {
      delivered = false;
      backoff.reset();
      return 0;
    }
    return backoff.nextDelayMillis();
  }

  private void drop(StreamConnection connection) {
    if (connection == current) {
      current = null;
    }
    connection.close();
  }

  /**
   * Closes the stream for good.
   *
   * @return completes when its connections are closed: a unit moving to another process opens
   *     there only after the server saw this one end
   */
  public Future<Void> stop() {
    stopped = true;
    for (long timer : new long[] {watchdog, rotation, reconnect}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    Future<Void> a = current == null ? Future.succeededFuture() : current.close();
    Future<Void> b = replacement == null ? Future.succeededFuture() : replacement.close();
    return Future.join(a, b).mapEmpty();
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
