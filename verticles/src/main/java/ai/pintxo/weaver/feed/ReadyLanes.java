package ai.pintxo.weaver.feed;

import java.util.ArrayDeque;

/**
 * The operations ready to send, in two lanes: urgent ones (records of a latency-profile topic, such
 * as a live price) leave before bulk ones, each lane in arrival order. A price that arrives behind a
 * backlog of bulk documents then waits only for a free request slot, not for the backlog.
 * Bulk work is not starved by a steady trickle of prices: an urgent operation is one request, and
 * the in-flight limit is shared, so bulk goes on in every slot no price is waiting for.
 *
 * @param <T> the queued operation
 */
final class ReadyLanes<T> {

  private final ArrayDeque<T> urgent = new ArrayDeque<>();
  private final ArrayDeque<T> bulk = new ArrayDeque<>();

  /** Queues at the back of its lane. */
  void add(T item, boolean isUrgent) {
    (isUrgent ? urgent : bulk).add(item);
  }

  /** Queues at the front of its lane (a probe that must go next). */
  void addFirst(T item, boolean isUrgent) {
    (isUrgent ? urgent : bulk).addFirst(item);
  }

  /** @return the next to send (urgent first), or null when both lanes are empty */
  T poll() {
    T next = urgent.poll();
    return next != null ? next : bulk.poll();
  }

  boolean isEmpty() {
    return urgent.isEmpty() && bulk.isEmpty();
  }

  void clear() {
    urgent.clear();
    bulk.clear();
  }
}
