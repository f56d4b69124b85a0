package ai.pintxo.weaver.testkit.substreams;

import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import com.google.protobuf.Any;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link Payloads#seaport(int, int)}'s outputs written as protobuf bytes straight from pre-encoded
 * pieces: the same bytes {@code Any.pack(Payloads.seaportMetrics(n, branch, perBlock))} gives, without
 * building 50 messages and their strings per block. The emulator is the load generator of the
 * throughput bench and shares its two cores with the pipeline it measures: building the metrics
 * with the generated builders was most of its 8–18 % of the bench's CPU. {@code SeaportOutputsTest}
 * compares the bytes with the builders'.
 */
final class SeaportOutputs implements OutputGenerator {

  private static final String TYPE_URL = "type.googleapis.com/" + Metrics.getDescriptor().getFullName();
  private static final byte[] MINUTE = ascii(":minute=");
  private static final byte[] TOKEN = ascii(":token=");
  private static final byte[] FORK = ascii("fork-");
  private static final byte[][] TOKENS = Payloads.TOKENS.stream().map(SeaportOutputs::ascii).toArray(byte[][]::new);

  private final int perBlock;
  private final int emptyEvery;
  /** {@code seaport_m<i>:block=} of each metric index. */
  private final byte[][] prefixes;

  SeaportOutputs(int perBlock, int emptyEvery) {
    this.perBlock = perBlock;
    this.emptyEvery = emptyEvery;
    this.prefixes = new byte[perBlock][];
    for (int i = 0; i < perBlock; i++) {
      prefixes[i] = ascii("seaport_m" + i + ":block=");
    }
  }

  @Override
  public Any output(long n, int branch) {
    if (Payloads.empty(n, emptyEvery)) {
      return Any.getDefaultInstance();
    }
    byte[] block = ascii(Long.toString(n));
    byte[] minute = ascii(Long.toString(n % 60));
    Writer out = new Writer(perBlock * 128);
    for (int i = 0; i < perBlock; i++) {
      byte[] token = TOKENS[(int) ((n + i) % TOKENS.length)];
      byte[] value = ascii(Long.toString(n * 1000 + i));
      int keyLength = prefixes[i].length + block.length + MINUTE.length + minute.length + TOKEN.length + token.length;
      int valueLength = (branch == 0 ? 0 : FORK.length) + value.length;
      int metricLength = 1 + varintSize(keyLength) + keyLength + 1 + varintSize(valueLength) + valueLength;
      out.tag(1).varint(metricLength);
      out.tag(1).varint(keyLength).bytes(prefixes[i]).bytes(block).bytes(MINUTE).bytes(minute).bytes(TOKEN).bytes(token);
      out.tag(2).varint(valueLength);
      if (branch != 0) {
        out.bytes(FORK);
      }
      out.bytes(value);
    }
    return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(UnsafeByteOperations.unsafeWrap(out.toByteArray())).build();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /** A growable byte array with the protobuf wire pieces used here (length-delimited fields only). */
  private static final class Writer {
    private byte[] bytes;
    private int size;

    Writer(int capacity) {
      bytes = new byte[capacity];
    }

    Writer tag(int field) {
      return raw((byte) (field << 3 | 2));
    }

    Writer varint(int value) {
      while ((value & ~0x7F) != 0) {
        raw((byte) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      return raw((byte) value);
    }

    Writer bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
      return this;
    }

    private Writer raw(byte b) {
      ensure(1);
      bytes[size++] = b;
      return this;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    byte[] toByteArray() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }
}
