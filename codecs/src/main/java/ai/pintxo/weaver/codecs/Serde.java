package ai.pintxo.weaver.codecs;

/**
 * Encodes a value to bytes and back. Implementations are stateless and thread-safe.
 *
 * @param <T> the value type
 */
public interface Serde<T> {

  /**
   * @param value the value, never {@code null}
   * @return its wire form
   */
  byte[] encode(T value);

  /**
   * @param bytes  the wire form
   * @param origin where the bytes came from, used in the error message
   * @return the value
   * @throws PayloadDecodeException when the bytes do not fit the type
   */
  T decode(byte[] bytes, RecordOrigin origin);
}
