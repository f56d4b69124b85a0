package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Bridge;
import ai.pintxo.weaver.codecs.api.Chain;
import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.ProtocolOverview;
import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.codecs.pyth.PythPrice;
import ai.pintxo.weaver.codecs.realtime.BinanceTrade;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.codecs.vespa.JsonBytes;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The record writer's bytes are Jackson's bytes, for every value; types it cannot match stay with Jackson. */
class RecordJsonEncoderTest {

  /** Every record type of a {@code Topic.json} in codecs. */
  private static final List<Class<?>> TOPIC_TYPES = List.of(PintxoMetric.class, SupplyMetric.class, SubstreamsCursor.class,
      PythPrice.class, BinanceTrade.class, Chain.class, Bridge.class, GeckoPool.class, Pool.class, Protocol.class,
      ProtocolOverview.class, Stablecoin.class, Token.class);
  /** The ones that must get the writer (plain components; the pipelines' full-rate records among them). */
  private static final List<Class<?>> DIRECT = List.of(PintxoMetric.class, SupplyMetric.class, SubstreamsCursor.class,
      PythPrice.class, BinanceTrade.class, Chain.class);

  private final Random random = new Random(15);

  @Test
  void everyQualifyingTopicTypeEncodesAsJacksonDoes() throws Exception {
    List<Class<?>> direct = new ArrayList<>();
    for (Class<?> type : TOPIC_TYPES) {
      if (RecordJsonEncoder.forType(type, Json.mapper()).isPresent()) {
        direct.add(type);
        compareRandom(type, 3_000);
      }
    }
    assertThat(direct).containsExactlyInAnyOrderElementsOf(DIRECT);
  }

  @Test
  void renamedAndPrimitiveComponentsMatchJackson() throws Exception {
    assertThat(RecordJsonEncoder.forType(Renamed.class, Json.mapper()).orElseThrow().propertyNames())
        .containsExactly("gecko_id", "count", "ratio", "flag", "amount", "level", "small");
    compareRandom(Renamed.class, 3_000);
  }

  @Test
  void asciiWithALoneSurrogateOrEscapesMatchesJackson() {
    RecordJsonEncoder<SupplyMetric> encoder = RecordJsonEncoder.forType(SupplyMetric.class, Json.mapper()).orElseThrow();
    for (String text : List.of("a?\uD800b", "?", "\uDFFF?", "ab?c\n", "plain ascii", "tab\tend", "q\"", "\u00e9t\u00e9", "x\uD83D\uDE00?")) {
      SupplyMetric metric = new SupplyMetric("0x1", text);
      assertThat(encoder.encode(metric)).as(text).isEqualTo(jackson(metric));
    }
  }

  @Test
  void annotationsThatChangeTheOutputKeepJackson() {
    assertThat(RecordJsonEncoder.forType(AlwaysNulls.class, Json.mapper())).isEmpty();
    assertThat(RecordJsonEncoder.forType(AsText.class, Json.mapper())).isEmpty();
    assertThat(RecordJsonEncoder.forType(ExtraGetter.class, Json.mapper())).isEmpty();
    assertThat(RecordJsonEncoder.forType(WithList.class, Json.mapper())).isEmpty();
    JsonSerde<AsText> serde = new JsonSerde<>(AsText.class);
    assertThat(new String(serde.encode(new AsText(42L)), StandardCharsets.UTF_8)).isEqualTo("{\"n\":\"42\"}");
  }

  @Test
  void aDecimalJacksonRefusesAsPlainTextFallsBackToJackson() {
    RecordJsonEncoder<Renamed> encoder = RecordJsonEncoder.forType(Renamed.class, Json.mapper()).orElseThrow();
    Renamed huge = new Renamed("x", 1L, 1.0, true, new BigDecimal(BigInteger.ONE, -10_000), 3, -3);
    assertThat(encoder.encode(huge)).isNull();
    Renamed fine = new Renamed("x", 1L, 1.0, true, new BigDecimal(BigInteger.ONE, -9_999), null, 0);
    assertThat(encoder.encode(fine)).isEqualTo(jackson(fine));
  }

  @Test
  void longDigitsAreLongToString() {
    List<Long> values = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 9L, 10L, -10L, 99L, 100L,
        999_999_999_999_999_999L, 1_000_000_000_000_000_000L, -999_999_999_999_999_999L));
    for (long p = 1; p > 0 && p < Long.MAX_VALUE / 10; p *= 10) {
      values.addAll(List.of(p, p - 1, p + 1, -p, -p + 1));
    }
    for (int i = 0; i < 20_000; i++) {
      values.add(random.nextLong() >> random.nextInt(64));
    }
    JsonBytes out = new JsonBytes(4);
    for (long v : values) {
      assertThat(new String(out.reset().number(v).toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }
  }

  private <T> void compareRandom(Class<T> type, int count) throws Exception {
    RecordJsonEncoder<T> encoder = RecordJsonEncoder.forType(type, Json.mapper()).orElseThrow();
    JsonSerde<T> serde = new JsonSerde<>(type);
    RecordComponent[] components = type.getRecordComponents();
    Constructor<T> canonical = type.getDeclaredConstructor(
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    canonical.setAccessible(true);
    int made = 0;
    for (int attempt = 0; made < count && attempt < count * 20; attempt++) {
      Object[] args = Arrays.stream(components).map(c -> value(c.getType())).toArray();
      T record;
      try {
        record = canonical.newInstance(args);
      } catch (InvocationTargetException refused) {
        continue; // the record's own validation (a required field was null or blank)
      }
      made++;
      byte[] expected = jackson(record);
      byte[] direct = encoder.encode(record);
      if (direct != null) {
        assertThat(new String(direct, StandardCharsets.UTF_8)).as("%s", record).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(direct).as("%s", record).isEqualTo(expected);
      }
      assertThat(serde.encode(record)).as("%s", record).isEqualTo(expected);
    }
    assertThat(made).as(type.getSimpleName()).isEqualTo(count);
  }

  private static byte[] jackson(Object record) {
    try {
      return Json.mapper().writerFor(record.getClass()).writeValueAsBytes(record);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Object value(Class<?> type) {
    boolean nullable = !type.isPrimitive();
    if (nullable && random.nextInt(6) == 0) {
      return null;
    }
    if (type == String.class) {
      return text();
    } else if (type == long.class || type == Long.class) {
      return longValue();
    } else if (type == int.class || type == Integer.class) {
      return switch (random.nextInt(4)) {
        case 0 -> Integer.MIN_VALUE;
        case 1 -> Integer.MAX_VALUE;
        default -> random.nextInt() >> random.nextInt(32);
      };
    } else if (type == double.class || type == Double.class) {
      return doubleValue();
    } else if (type == boolean.class || type == Boolean.class) {
      return random.nextBoolean();
    } else if (type == BigDecimal.class) {
      BigInteger unscaled = new BigInteger(1 + random.nextInt(200), random);
      return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(80) - 40);
    }
    return null; // types the writer does not take: only in records it refuses
  }

  private long longValue() {
    return switch (random.nextInt(5)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> 0L;
      default -> random.nextLong() >> random.nextInt(64);
    };
  }

  private double doubleValue() {
    return switch (random.nextInt(12)) {
      case 0 -> Double.NaN;
      case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> random.nextBoolean() ? 0.0 : -0.0;
      case 3 -> random.nextBoolean() ? Double.MIN_VALUE : Double.MAX_VALUE;
      case 4 -> Math.scalb(random.nextDouble(), random.nextInt(2000) - 1000);
      case 5 -> (double) (random.nextLong() >> random.nextInt(64));
      case 6 -> random.nextInt(1_000_000) / 100.0;
      case 7 -> 1e7 * (random.nextInt(1000) - 500);
      default -> Double.longBitsToDouble(random.nextLong());
    };
  }

  /** Random text over the characters a JSON writer could get wrong. */
  private String text() {
    int length = random.nextInt(16);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(12)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append(random.nextBoolean() ? '"' : '\\');
        case 2 -> text.append((char) (0x7F + random.nextInt(0x781)));
        case 3 -> text.append((char) (0x800 + random.nextInt(0xD000)));
        case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 5 -> text.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate
        case 6 -> text.append((char) (0xE000 + random.nextInt(0x2000)));
        case 7 -> text.append(random.nextBoolean() ? '/' : '\u2028');
        default -> text.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return text.toString();
  }

  record Renamed(@JsonProperty("gecko_id") String id, long count, double ratio, boolean flag, BigDecimal amount, Integer level,
                 int small) {
  }

  record AlwaysNulls(@JsonInclude(JsonInclude.Include.ALWAYS) String s) {
  }

  record AsText(@JsonSerialize(using = ToStringSerializer.class) long n) {
  }

  record ExtraGetter(String s) {
    public String getExtra() {
      return "extra";
    }
  }

  record WithList(String s, List<String> items) {
  }
}
