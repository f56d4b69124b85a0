package ai.pintxo.weaver.testkit.substreams;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The emulator's direct Seaport outputs are the bytes the generated builders give, for every block. */
class SeaportOutputsTest {

  @Test
  void sameBytesAsTheBuilders() {
    Random random = new Random(15);
    for (int perBlock : new int[] {0, 1, 3, 50, 130}) {
      for (int emptyEvery : new int[] {0, 7}) {
        OutputGenerator direct = Payloads.seaport(perBlock, emptyEvery);
        for (int k = 0; k < 400; k++) {
          long n = switch (k % 4) {
            case 0 -> k;
            case 1 -> random.nextInt(1_000_000);
            case 2 -> random.nextLong() >>> (1 + random.nextInt(20));
            default -> 9_000_000_000_000L + random.nextInt(1000);
          };
          int branch = random.nextInt(2);
          Any expected = Payloads.empty(n, emptyEvery) ? Any.getDefaultInstance()
              : Any.pack(Payloads.seaportMetrics(n, branch, perBlock));
          Any actual = direct.output(n, branch);
          assertThat(actual.toByteArray()).as("block %d branch %d perBlock %d", n, branch, perBlock).isEqualTo(expected.toByteArray());
          assertThat(actual).isEqualTo(expected);
        }
      }
    }
  }
}
