package ai.pintxo.weaver.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

  @Test
  void commitsOnlyPastTheFirstRecordNotDone() {
    PartitionProgress p = new PartitionProgress();
    for (long o = 10; o < 15; o++) {
      p.started(o);
    }
    assertThat(p.committable()).as("nothing done yet").isEqualTo(-1);
    p.completed(12);
    p.completed(13);
    assertThat(p.committable()).as("10 and 11 are still out: 12 and 13 must not be committed").isEqualTo(-1);
    p.completed(10);
    assertThat(p.committable()).as("10 done: commit up to 11 (the next to read)").isEqualTo(11);
    p.completed(11);
    assertThat(p.committable()).as("10..13 done").isEqualTo(14);
    assertThat(p.outstanding()).isEqualTo(1);
    p.completed(14);
    assertThat(p.committable()).isEqualTo(15);
    assertThat(p.idle()).isTrue();
  }

  @Test
  void toleratesGapsBetweenOffsets() {
    PartitionProgress p = new PartitionProgress();
    p.started(0);
    p.started(5);
    p.started(9);
    p.completed(5);
    p.completed(9);
    assertThat(p.committable()).isEqualTo(-1);
    p.completed(0);
    assertThat(p.committable()).isEqualTo(10);
  }

  @Test
  void ignoresUnknownOffsetsAndRefusesGoingBack() {
    PartitionProgress p = new PartitionProgress();
    p.started(3);
    p.completed(2);
    p.completed(99);
    assertThat(p.committable()).isEqualTo(-1);
    assertThatThrownBy(() -> p.started(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomCompletionOrderAlwaysCommitsAContiguousPrefix() {
    Random random = new Random(11);
    PartitionProgress p = new PartitionProgress();
    List<Long> offsets = new ArrayList<>();
    for (long o = 0; o < 5000; o++) {
      p.started(o * 2);
      offsets.add(o * 2);
    }
    Collections.shuffle(offsets, random);
    boolean[] done = new boolean[5000];
    for (long offset : offsets) {
      p.completed(offset);
      done[(int) (offset / 2)] = true;
      int prefix = 0;
      while (prefix < done.length && done[prefix]) {
        prefix++;
      }
      long expected = prefix == 0 ? -1 : (prefix - 1) * 2L + 1;
      assertThat(p.committable()).as("after completing " + offset).isEqualTo(expected);
    }
    assertThat(p.committable()).isEqualTo(9999);
  }
}
