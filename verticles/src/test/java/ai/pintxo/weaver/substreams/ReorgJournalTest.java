package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.substreams.ReorgHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The compensations an undo makes: restore to the last value at or below the fork, or remove. */
class ReorgJournalTest {

  final ReorgJournal journal = new ReorgJournal("t");

  void write(long block, String key, String value) {
    journal.write(block, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** @return key → restored value, or "REMOVE" */
  static Map<String, String> compensations(List<ProducerRecord<byte[], byte[]>> records) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ProducerRecord<byte[], byte[]> r : records) {
      assertThat(r.topic()).isEqualTo("t");
      String undo = ReorgHeaders.last(r.headers(), ReorgHeaders.UNDO).orElseThrow();
      assertThat(undo).isEqualTo(r.value() == null ? ReorgHeaders.REMOVE : ReorgHeaders.RESTORE);
      out.put(new String(r.key(), StandardCharsets.UTF_8), r.value() == null ? "REMOVE" : new String(r.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void undoRestoresTheLastValueAtOrBelowTheForkOrRemoves() {
    write(10, "a", "a10");
    write(11, "a", "a11");
    write(12, "b", "b12");
    write(13, "a", "a13");
    write(14, "c", "c14");
    journal.prune(10); // a10 is final now
    Map<String, String> undone = compensations(journal.undo(11, "id11"));
    assertThat(undone).as("a back to its block-11 value, b and c never existed before the fork")
        .containsOnly(Map.entry("a", "a11"), Map.entry("b", "REMOVE"), Map.entry("c", "REMOVE"));
    write(12, "a", "fork-a12");
    assertThat(compensations(journal.undo(10, "id10"))).as("a back to its final value").containsOnly(Map.entry("a", "a10"));
  }

  @Test
  void keysNotWrittenAboveTheForkAreLeftAlone() {
    write(5, "a", "a5");
    write(8, "b", "b8");
    assertThat(compensations(journal.undo(8, "id8"))).isEmpty();
    assertThat(compensations(journal.undo(6, "id6"))).containsOnly(Map.entry("b", "REMOVE"));
  }

  @Test
  void pruningKeepsOnlyFinalValuesAndBoundsTheUndoDepth() {
    for (long b = 0; b < 100; b++) {
      write(b, "k" + (b % 3), "v" + b);
      journal.prune(b - 12);
    }
    assertThat(journal.recentKeys()).isEqualTo(3);
    assertThat(compensations(journal.undo(87, "id87"))).containsOnly(Map.entry("k0", "v87"), Map.entry("k1", "v85"),
        Map.entry("k2", "v86"));
    assertThatThrownBy(() -> journal.undo(80, "id80")).isInstanceOf(UndoBuffer.UndoTooDeepException.class)
        .hasMessageContaining("cannot undo down to block 80");
  }

  @Test
  void replayingAKeysCompensationDropsOnlyThatKeysWrites() {
    write(10, "a", "a10");
    write(11, "a", "a11");
    write(11, "b", "b11");
    journal.undoKey(10, "a".getBytes(StandardCharsets.UTF_8));
    assertThat(compensations(journal.undo(10, "id10"))).as("only b is left above block 10").containsOnly(Map.entry("b", "REMOVE"));
  }
}
