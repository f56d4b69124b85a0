package ai.pintxo.weaver.codecs;

import java.nio.charset.StandardCharsets;

/** UTF-8 strings, the key serde of every topic (keys are Vespa document ids). */
public final class StringSerde implements Serde<String> {

  public static final StringSerde INSTANCE = new StringSerde();

  private StringSerde() {
  }

  @Override
  public byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes, RecordOrigin origin) {
    if (bytes == null) {
      throw new PayloadDecodeException(origin, "key", "missing record key", null);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
