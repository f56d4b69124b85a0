package ai.pintxo.weaver.launcher;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Where a dead-letter replay stands on one partition: the offset to commit and, in the commit's
 * metadata, up to which offset each stage's letters have already been replayed.
 *
 * <p>A replay of one stage skips the letters of the others. The committed offset stays at the
 * first of them, so they are read (and replayed) again next time; the letters of the replayed
 * stage past that offset are marked in the metadata ({@code stage=offset;...}: letters of that
 * stage below that offset are done) so they are not replayed twice. Marks at or below the committed
 * offset say nothing more and are dropped, which keeps the metadata a few bytes long.
 */
final class ReplayMark {

  private final Map<String, Long> replayedBelow;
  private final String stage;
  private long next;
  private Long firstWaiting;

  private ReplayMark(long committed, Map<String, Long> replayedBelow, String stage) {
    this.next = committed;
    this.replayedBelow = replayedBelow;
    this.stage = stage;
  }

  /**
   * @param committed the group's committed offset (or the start position when none)
   * @param metadata  the commit's metadata, empty when none or written by an older weaver
   * @param stage     the stage this replay replays, null for all
   */
  static ReplayMark parse(long committed, String metadata, String stage) {
    Map<String, Long> marks = new TreeMap<>();
    for (String entry : metadata == null ? new String[0] : metadata.split(";")) {
      int eq = entry.lastIndexOf('=');
      if (eq > 0) {
        try {
          marks.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
        } catch (NumberFormatException e) {
          // not ours: ignoring it can only replay a letter again, never lose one
        }
      }
    }
    return new ReplayMark(committed, marks, stage);
  }

  /** @return whether the letter of {@code letterStage} at {@code offset} was replayed by an earlier run */
  boolean replayedBefore(String letterStage, long offset) {
    return offset < replayedBelow.getOrDefault(letterStage, Long.MIN_VALUE);
  }

  /** The record at {@code offset} is dealt with: replayed, already replayed, or never replayable. */
  void scanned(long offset) {
    next = offset + 1;
  }

  /** The letter at {@code offset} belongs to a stage this run does not replay. */
  void skipped(String letterStage, long offset) {
    if (firstWaiting == null && !replayedBefore(letterStage, offset)) {
      firstWaiting = offset;
    }
    next = offset + 1;
  }

  /** @return the offset and metadata to commit for what has been scanned so far */
  OffsetAndMetadata toCommit() {
    long offset = firstWaiting != null ? firstWaiting : next;
    Map<String, Long> marks = new TreeMap<>(replayedBelow);
    if (stage != null) {
      marks.merge(stage, next, Math::max);
    } else {
      // every stage is replayed up to next; the offset is next, so only marks beyond it remain
      marks.replaceAll((s, below) -> Math.max(below, next));
    }
    String metadata = marks.entrySet().stream().filter(e -> e.getValue() > offset)
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    return new OffsetAndMetadata(offset, metadata);
  }
}
