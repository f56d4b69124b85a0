package ai.pintxo.weaver.realtime;

import java.time.Duration;

/**
 * How a long-lived event stream is kept alive.
 *
 * @param silenceTimeout  no byte (event or keep-alive comment) for this long means a dead stream: reconnect
 * @param rotateAfter     open a replacement before the server's own limit (Hermes closes streams after 24 h)
 * @param minBackoff      first reconnection delay
 * @param maxBackoff      longest reconnection delay
 * @param stablePeriod    a connection up this long resets the backoff
 * @param defaultLockout  stay away this long after a 429 without {@code Retry-After}
 */
public record StreamOptions(Duration silenceTimeout, Duration rotateAfter, Duration minBackoff, Duration maxBackoff,
                               Duration stablePeriod, Duration defaultLockout) {

  /** Hermes' behaviour: keep-alives every few seconds, 24-hour streams, 60-second lockouts. */
  public static final StreamOptions DEFAULTS = new StreamOptions(Duration.ofSeconds(30), Duration.ofHours(23),
      Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));
}
