package ai.pintxo.weaver.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec for an immutable record type: passed by reference inside one Vert.x instance,
 * encoded with the record's serde (length-prefixed) across a cluster.
 *
 * @param <T> the record type
 */
public final class RecordMessageCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;
  private final Serde<T> serde;

  public RecordMessageCodec(Class<T> type, Serde<T> serde) {
    this.type = type;
    this.serde = serde;
  }

  /** @return the type this codec handles, to register it as the default codec of the type */
  public Class<T> type() {
    return type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] bytes = serde.encode(value);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] bytes = buffer.getBytes(pos + 4, pos + 4 + length);
    return serde.decode(bytes, RecordOrigin.source("eventbus:" + name()));
  }

  @Override
  public T transform(T value) {
    return value; // records are immutable: no copy needed inside one JVM
  }

  @Override
  public String name() {
    return "weaver:" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
