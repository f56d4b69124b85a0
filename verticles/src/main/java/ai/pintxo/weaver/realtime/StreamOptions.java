package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
import io.vertx.core.json.JsonObject;
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

  /**
   * Reads the keys {@code silenceTimeout}, {@code rotateAfter}, {@code minBackoff}, {@code maxBackoff},
   * {@code stablePeriod} and {@code lockout} of a source's config, each defaulting to {@link #DEFAULTS}.
   */
  public static StreamOptions read(ConfigReader config) {
    StreamOptions d = DEFAULTS;
    return new StreamOptions(config.duration("silenceTimeout", d.silenceTimeout()), config.duration("rotateAfter", d.rotateAfter()),
        config.duration("minBackoff", d.minBackoff()), config.duration("maxBackoff", d.maxBackoff()),
        config.duration("stablePeriod", d.stablePeriod()), config.duration("lockout", d.defaultLockout()));
  }

  /** Writes the keys {@link #read} reads. */
  public JsonObject writeTo(JsonObject json) {
    return json.put("silenceTimeout", Durations.format(silenceTimeout))
        .put("rotateAfter", Durations.format(rotateAfter))
        .put("minBackoff", Durations.format(minBackoff))
        .put("maxBackoff", Durations.format(maxBackoff))
        .put("stablePeriod", Durations.format(stablePeriod))
        .put("lockout", Durations.format(defaultLockout));
  }
}
