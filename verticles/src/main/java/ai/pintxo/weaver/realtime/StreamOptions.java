package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
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
   * The stream resilience keys, declared once into each spec that has them (Pyth, every real-time
   * stream): {@code silenceTimeout}, {@code rotateAfter}, {@code minBackoff}, {@code maxBackoff},
   * {@code stablePeriod} and {@code lockout}, defaulting to {@link #DEFAULTS}.
   */
  public static final class Keys {

    private final Option<Duration> silenceTimeout;
    private final Option<Duration> rotateAfter;
    private final Option<Duration> minBackoff;
    private final Option<Duration> maxBackoff;
    private final Option<Duration> stablePeriod;
    private final Option<Duration> lockout;

    /** Declares the keys in a spec. */
    public Keys(OptionSpec<?> spec) {
      StreamOptions d = DEFAULTS;
      silenceTimeout = spec.option("silenceTimeout", OptionTypes.duration(), d.silenceTimeout(),
          "no byte, not even a keep-alive, for this long: the stream is dead, reconnect");
      rotateAfter = spec.option("rotateAfter", OptionTypes.duration(), d.rotateAfter(),
          "open a replacement before the server's own limit; switch when it delivers (make before break)");
      minBackoff = spec.option("minBackoff", OptionTypes.duration(), d.minBackoff(), "first reconnect delay (jittered, doubling)");
      maxBackoff = spec.option("maxBackoff", OptionTypes.duration(), d.maxBackoff(), "longest reconnect delay");
      stablePeriod = spec.option("stablePeriod", OptionTypes.duration(), d.stablePeriod(), "a connection up this long resets the backoff");
      lockout = spec.option("lockout", OptionTypes.duration(), d.defaultLockout(), "stay away this long after a 429 without Retry-After");
    }

    /** @return the stream options held by options of that spec */
    public StreamOptions read(Options<?> options) {
      return new StreamOptions(options.get(silenceTimeout), options.get(rotateAfter), options.get(minBackoff),
          options.get(maxBackoff), options.get(stablePeriod), options.get(lockout));
    }

    /** Sets the keys of options of that spec. */
    public void write(Options<?> options, StreamOptions stream) {
      options.set(silenceTimeout, stream.silenceTimeout());
      options.set(rotateAfter, stream.rotateAfter());
      options.set(minBackoff, stream.minBackoff());
      options.set(maxBackoff, stream.maxBackoff());
      options.set(stablePeriod, stream.stablePeriod());
      options.set(lockout, stream.defaultLockout());
    }
  }
}
