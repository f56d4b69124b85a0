package ai.pintxo.weaver.impl.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How many requests a host accepts: a token bucket ({@code requests} per {@code period}, refilled
 * continuously) plus a lockout after a 429 (Hermes locks a client out for 60 s; others say how long
 * in {@code Retry-After}). One budget per host is shared by every stream and poller that calls it
 * ({@link #forUrl}, keyed by {@link #key(URI)}), so together they stay within the host's limit.
 *
 * <p>Thread-safe: verticle instances on several event loops share it.
 */
public final class RequestBudget implements Shareable {

  private final double capacity;
  private final double perNano;
  private final LongSupplier clock;
  private double tokens;
  private long refilledAt;
  private long lockedUntil;

  /**
   * @param requests requests allowed per period (the bucket's capacity)
   * @param period   the period
   * @param clock    nanosecond clock, injected for tests
   */
  public RequestBudget(int requests, Duration period, LongSupplier clock) {
    if (requests < 1 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("need at least 1 request per positive period, was " + requests + " per " + period);
    }
    this.capacity = requests;
    this.perNano = requests / (double) period.toNanos();
    this.clock = clock;
    this.tokens = requests;
    this.refilledAt = clock.getAsLong();
  }

  /**
   * The budget of the host a URL points at, shared by every poller and stream of this Vert.x
   * instance that calls the same host and port (keyed by {@link #key(URI)}).
   *
   * @param vertx    the Vert.x instance whose verticles share the budget
   * @param url      any URL on the host (http, https, ws or wss)
   * @param requests requests per period, used when the budget is created
   * @param period   the period, used when the budget is created
   * @return the host's budget
   */
  public static RequestBudget forUrl(Vertx vertx, URI url, int requests, Duration period) {
    return vertx.sharedData().<String, RequestBudget>getLocalMap("weaver.request-budgets")
        .computeIfAbsent(key(url), h -> new RequestBudget(requests, period, System::nanoTime));
  }

  /**
   * The one way to name a host's budget: {@code host:port}, the host lower-cased and the port
   * resolved from the scheme when the URL has none ({@code http}/{@code ws} 80, {@code https}/{@code wss}
   * 443), so {@code https://Hermes.example/v2} and {@code https://hermes.example:443/x} share a budget.
   * ({@link URI#getPort()} alone is -1 for a URL without a port.)
   *
   * @param url an absolute URL
   * @return the key of its host's budget
   * @throws IllegalArgumentException when the URL has no host, or no port and a scheme without a default
   */
  public static String key(URI url) {
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in '" + url + "'");
    }
    int port = url.getPort();
    if (port < 0) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      port = switch (scheme) {
        case "http", "ws" -> 80;
        case "https", "wss" -> 443;
        default -> throw new IllegalArgumentException("no port in '" + url + "' and no default port for scheme '" + scheme + "'");
      };
    }
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /**
   * Takes a slot if one is free.
   *
   * @return 0 when the request may go now (the slot is taken), else nanoseconds to wait before asking again
   */
  public synchronized long tryAcquire() {
    long now = clock.getAsLong();
    if (now < lockedUntil) {
      return lockedUntil - now;
    }
    tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** The host answered 429: no request until {@code duration} has passed, and the bucket starts empty. */
  public synchronized void lockout(Duration duration) {
    long now = clock.getAsLong();
    lockedUntil = Math.max(lockedUntil, now + duration.toNanos());
    tokens = 0;
    refilledAt = lockedUntil;
  }

  /** @return nanoseconds of lockout left, 0 when none */
  public synchronized long lockedForNanos() {
    return Math.max(0, lockedUntil - clock.getAsLong());
  }

  /**
   * @return completes (on the caller's context) when a request may go; the slot is taken then
   */
  public Future<Void> permit(Vertx vertx) {
    long wait = tryAcquire();
    if (wait == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(Math.max(1, wait / 1_000_000), t -> permit(vertx).onComplete(promise));
    return promise.future();
  }

  /**
   * @param retryAfter a {@code Retry-After} header: seconds, or absent
   * @param fallback   the lockout when the header is absent or unreadable
   * @return how long to stay away
   */
  public static Duration retryAfter(String retryAfter, Duration fallback) {
    if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) {
      return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
    }
    if (retryAfter != null) {
      try {
        long at = java.time.ZonedDateTime.parse(retryAfter.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant().toEpochMilli();
        return Duration.ofMillis(Math.max(0, at - System.currentTimeMillis()));
      } catch (java.time.format.DateTimeParseException e) {
        // fall through to the default
      }
    }
    return fallback;
  }
}
