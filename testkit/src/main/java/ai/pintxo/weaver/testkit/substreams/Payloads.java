package ai.pintxo.weaver.testkit.substreams;

import ai.pintxo.weaver.substreams.pb.payload.seaport.Metric;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supplies;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supply;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.List;

/**
 * Deterministic outputs for the emulator: Seaport metrics and ERC-20 supplies (the original payload
 * types), and filled messages of any type for other packages. Every {@code emptyEvery}-th block
 * has an empty output, as skipped blocks do.
 */
public final class Payloads {

  /** Token addresses (without 0x) the Seaport keys use; the first is USDT's. */
  public static final List<String> TOKENS = List.of("dac17f958d2ee523a2206206994597c13d831ec7", "6b175474e89094c44da98b954eedeac495271d0f",
      "00000000000000000000000000000000000000aa");

  private Payloads() {
  }

  /** @return whether block {@code n} has an empty output */
  public static boolean empty(long n, int emptyEvery) {
    return emptyEvery > 0 && n % emptyEvery == 0;
  }

  /** @return the Seaport metrics of a block: key {@code seaport_m<i>:block=<n>:minute=<n%60>:token=<token>}, value by block, index and branch */
  public static Metrics seaportMetrics(long n, int branch, int perBlock) {
    Metrics.Builder b = Metrics.newBuilder();
    for (int i = 0; i < perBlock; i++) {
      b.addMetrics(Metric.newBuilder().setKey(seaportKey(n, i)).setValue(seaportValue(n, i, branch)));
    }
    return b.build();
  }

  /** @return the key of metric {@code i} of block {@code n} */
  public static String seaportKey(long n, int i) {
    return "seaport_m" + i + ":block=" + n + ":minute=" + (n % 60) + ":token=" + TOKENS.get((int) ((n + i) % TOKENS.size()));
  }

  /** @return the value of metric {@code i} of block {@code n} on a branch */
  public static String seaportValue(long n, int i, int branch) {
    return (branch == 0 ? "" : "fork-") + (n * 1000 + i);
  }

  /**
   * @return a generator of Seaport metrics: {@code Any.pack(seaportMetrics(n, branch, perBlock))}, written
   *     from pre-encoded pieces ({@link SeaportOutputs}) as the bench's load generator must be cheap
   */
  public static OutputGenerator seaport(int perBlock, int emptyEvery) {
    return new SeaportOutputs(perBlock, emptyEvery);
  }

  /**
   * Seaport metrics whose documents are written again and again, so that a reorg has documents to
   * restore as well as documents to remove. Block {@code n} writes three metrics:
   * <ul>
   *   <li>{@link #seaportKey seaportKey(n, branch)}: a document of that block and branch only (a reorg removes the
   *       original branch's);</li>
   *   <li>{@code seaport_rolling:hour=<slot>}, 5 slots, the slot chosen differently on each branch: rewritten every
   *       few blocks (a reorg restores it from writes still undoable);</li>
   *   <li>{@code seaport_rolling:minute=<n % 40>}: rewritten every 40 blocks (a reorg restores it from a final value).</li>
   * </ul>
   * Values are the block number, prefixed with {@code fork-} on the replacing branch.
   *
   * @return the generator
   */
  public static OutputGenerator seaportRolling() {
    return (n, branch) -> Any.pack(seaportRollingMetrics(n, branch));
  }

  /** @return the metrics {@link #seaportRolling()} writes in block {@code n} of a branch */
  public static Metrics seaportRollingMetrics(long n, int branch) {
    String value = (branch == 0 ? "" : "fork-") + n;
    long hourSlot = branch == 0 ? n % 5 : (n * 3 + 1) % 5;
    return Metrics.newBuilder()
        .addMetrics(Metric.newBuilder().setKey(seaportKey(n, branch)).setValue(seaportValue(n, 0, branch)))
        .addMetrics(Metric.newBuilder().setKey("seaport_rolling:hour=" + hourSlot).setValue(value))
        .addMetrics(Metric.newBuilder().setKey("seaport_rolling:minute=" + (n % 40)).setValue(value))
        .build();
  }

  /** @return the supplies of a block: address {@code 0x<n>-<i>} padded, supply by block and branch */
  public static Supplies supplies(long n, int branch, int perBlock) {
    Supplies.Builder b = Supplies.newBuilder();
    for (int i = 0; i < perBlock; i++) {
      b.addItems(Supply.newBuilder().setAddress(supplyAddress(n, i)).setSupply((branch == 0 ? "" : "9") + (n * 1_000_000_000_000L + i)));
    }
    return b.build();
  }

  /** @return the address of supply item {@code i} of block {@code n} */
  public static String supplyAddress(long n, int i) {
    return String.format("0x%036x%04x", n, i);
  }

  /** @return a generator of supplies */
  public static OutputGenerator supply(int perBlock, int emptyEvery) {
    return (n, branch) -> empty(n, emptyEvery) ? Any.getDefaultInstance() : Any.pack(supplies(n, branch, perBlock));
  }

  /** @return a generator of messages of any type, every field filled from the block number */
  public static OutputGenerator filled(Descriptor type, int emptyEvery) {
    return (n, branch) -> empty(n, emptyEvery) ? Any.getDefaultInstance()
        : Any.newBuilder().setTypeUrl("type.googleapis.com/" + type.getFullName()).setValue(fill(type, n + branch * 7, 0).toByteString()).build();
  }

  /** @return a message of that type with every field set from {@code seed} (nested messages to depth 3) */
  public static DynamicMessage fill(Descriptor type, long seed, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (f.getRealContainingOneof() != null && f.getRealContainingOneof().getFields().get(0) != f) {
        continue;
      }
      Object v = value(f, seed + f.getNumber(), depth);
      if (v == null) {
        continue;
      }
      if (f.isRepeated()) {
        b.addRepeatedField(f, v);
      } else {
        b.setField(f, v);
      }
    }
    return b.build();
  }

  private static Object value(FieldDescriptor f, long seed, int depth) {
    if (f.isMapField()) {
      return null;
    }
    return switch (f.getJavaType()) {
      case INT -> (int) (seed % 1_000_000);
      case LONG -> seed;
      case FLOAT -> (float) (seed % 1000) / 4f;
      case DOUBLE -> (double) seed / 4d;
      case BOOLEAN -> seed % 2 == 0;
      case STRING -> f.getName() + "-" + seed;
      case BYTE_STRING -> ByteString.copyFromUtf8(Long.toHexString(seed));
      case ENUM -> f.getEnumType().getValues().get((int) (seed % f.getEnumType().getValues().size()));
      case MESSAGE -> depth >= 3 || f.getMessageType().getFullName().equals("google.protobuf.Any") ? null
          : fill(f.getMessageType(), seed, depth + 1);
    };
  }
}
