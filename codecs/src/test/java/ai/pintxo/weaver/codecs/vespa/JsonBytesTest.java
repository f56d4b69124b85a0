package ai.pintxo.weaver.codecs.vespa;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The feeder's string writer, with its plain-ASCII fast copy: every string reads back as written. */
class JsonBytesTest {

  private static final String SPECIAL = "\"\\\n\r\t\b\f\u0000\u001f?/ ";

  @Test
  void everyStringReadsBackAsItWas() throws Exception {
    Random random = new Random(5);
    JsonBytes out = new JsonBytes(16);
    for (int i = 0; i < 20_000; i++) {
      String s = randomString(random);
      byte[] json = out.reset().string(s).toByteArray();
      // A lone surrogate is not text: written as '?', as the JDK's UTF-8 encoder does.
      String expected = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replace('\uFFFD', '?');
      assertThat(Json.mapper().readValue(json, String.class)).as(Arrays.toString(s.toCharArray())).isEqualTo(expected);
    }
  }

  @Test
  void plainTextIsCopiedAsIsAndEscapesFollowTheCopiedPart() {
    JsonBytes out = new JsonBytes(4);
    assertThat(new String(out.string("Opensea_Seaport:volume token=WETH").toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("\"Opensea_Seaport:volume token=WETH\"");
    assertThat(new String(out.reset().string("a?b\"c\\d\ne\u0001é\uD83D\uDE00\uD800x").toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("\"a?b\\\"c\\\\d\\ne\\u0001é\uD83D\uDE00?x\"");
  }

  private static String randomString(Random random) {
    int length = random.nextInt(40);
    StringBuilder s = new StringBuilder(length);
    boolean ascii = random.nextBoolean(); // half plain text, the fast path's case, with a special char now and then
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(ascii ? 20 : 6);
      switch (kind) {
        case 0 -> s.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
        case 2 -> s.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
        case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
        case 4 -> s.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate, most of the time
        default -> s.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return s.toString();
  }
}
