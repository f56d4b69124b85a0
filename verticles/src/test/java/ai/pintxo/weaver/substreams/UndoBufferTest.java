package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UndoBufferTest {

  static PendingBlock block(long n, String branch) {
    return new PendingBlock(new BlockInfo(n, branch + n, 0), "cursor-" + branch + n, List.of());
  }

  static List<Long> numbers(List<PendingBlock> blocks) {
    return blocks.stream().map(b -> b.block().number()).toList();
  }

  @Test
  void releasesFinalBlocksAndTheOldestWhenFull() {
    UndoBuffer buffer = new UndoBuffer(3);
    assertThat(numbers(buffer.push(block(10, "a"), 5))).as("not final, room left").isEmpty();
    assertThat(numbers(buffer.push(block(11, "a"), 10))).as("10 became final").containsExactly(10L);
    assertThat(numbers(buffer.push(block(12, "a"), 10))).isEmpty();
    assertThat(numbers(buffer.push(block(13, "a"), 10))).isEmpty();
    assertThat(numbers(buffer.push(block(14, "a"), 10))).as("over capacity: the oldest goes").containsExactly(11L);
    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.lastReleased()).isEqualTo(11);
  }

  @Test
  void undoInsideTheBufferDropsTheAbandonedBranch() {
    UndoBuffer buffer = new UndoBuffer(5);
    for (long n = 1; n <= 5; n++) {
      buffer.push(block(n, "a"), 0);
    }
    assertThat(buffer.undo(2, "a2")).as("blocks 3..5 dropped").isEqualTo(3);
    List<PendingBlock> released = new java.util.ArrayList<>();
    for (long n = 3; n <= 8; n++) {
      released.addAll(buffer.push(block(n, "b"), n - 1));
    }
    assertThat(released).extracting(b -> b.block().id()).containsExactly("a1", "a2", "b3", "b4", "b5", "b6", "b7");
  }

  @Test
  void undoBelowAReleasedBlockIsAnError() {
    UndoBuffer buffer = new UndoBuffer(2);
    for (long n = 1; n <= 5; n++) {
      buffer.push(block(n, "a"), 0);
    }
    assertThat(buffer.lastReleased()).isEqualTo(3);
    assertThatThrownBy(() -> buffer.undo(2, "a2")).isInstanceOf(UndoBuffer.UndoTooDeepException.class)
        .hasMessageContaining("cannot undo down to block 2").hasMessageContaining("block 3 (a3) was already released");
    assertThat(buffer.undo(3, "a3")).isEqualTo(2);
  }

  @Test
  void capacityZeroReleasesAtOnce() {
    UndoBuffer buffer = new UndoBuffer(0);
    assertThat(numbers(buffer.push(block(7, "a"), 0))).containsExactly(7L);
  }

  @Test
  void endOfStreamReleasesBelowTheStopBlockOnly() {
    UndoBuffer buffer = new UndoBuffer(10);
    for (long n = 1; n <= 6; n++) {
      buffer.push(block(n, "a"), 0);
    }
    assertThat(numbers(buffer.releaseAll(5))).containsExactly(1L, 2L, 3L, 4L);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void blocksOutOfOrderAreRefused() {
    UndoBuffer buffer = new UndoBuffer(4);
    buffer.push(block(5, "a"), 0);
    assertThatThrownBy(() -> buffer.push(block(5, "b"), 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void resetForgetsHeldBlocksAndRemembersTheCommittedOne() {
    UndoBuffer buffer = new UndoBuffer(4);
    buffer.push(block(5, "a"), 0);
    buffer.reset(4, "a4");
    assertThat(buffer.size()).isZero();
    assertThatThrownBy(() -> buffer.undo(3, "a3")).isInstanceOf(UndoBuffer.UndoTooDeepException.class);
  }
}
