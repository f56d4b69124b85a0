package ai.pintxo.weaver.testkit.activity;

import java.time.Duration;
import java.time.Instant;

/**
 * One request or connection an emulator served for a unit of work: which weaver process (member)
 * made it, when it was opened and when it was closed.
 *
 * @param unit   the unit's key in the emulator's terms (an endpoint's data type, a stream's feed set or path, a module)
 * @param member the member named by the request ({@code User-Agent: … (member <m>)} or gRPC {@code weaver-member}),
 *               {@link #UNKNOWN} when it names none
 * @param opened when the request arrived
 * @param closed when its response ended or its connection closed; null while open
 */
public record Activity(String unit, String member, Instant opened, Instant closed) {

  /** The member of a request that names none. */
  public static final String UNKNOWN = "?";

  /** @return whether it is still open */
  public boolean isOpen() {
    return closed == null;
  }

  /** @return when it closed, or {@code now} while it is open */
  public Instant end(Instant now) {
    return closed == null ? now : closed;
  }

  /** @return how long it was (or has been) open */
  public Duration duration(Instant now) {
    return Duration.between(opened, end(now));
  }

  /** @return whether it was open at some moment of [from, to] */
  public boolean during(Instant from, Instant to) {
    return !opened.isAfter(to) && (closed == null || !closed.isBefore(from));
  }

  /** @return whether both were open at the same moment (strictly: one closing as the other opens is no overlap) */
  public boolean overlaps(Activity other, Instant now) {
    return opened.isBefore(other.end(now)) && other.opened.isBefore(end(now));
  }
}
