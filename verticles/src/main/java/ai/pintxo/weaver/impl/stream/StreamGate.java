package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.impl.kafka.SourceSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Pauses a source's streams while its {@link SourceSink} cannot take more (full, or Kafka unavailable)
 * and resumes them after: a paused stream stops reading its socket, so what the server sends meanwhile
 * waits in the network's buffers instead of piling up in memory or being dropped. A stream added while
 * the gate is closed starts paused.
 *
 * <p>Threading: confined to the source's context, like its streams and sink.
 */
public final class StreamGate implements SourceSink.Listener {

  private final List<ResilientStream> streams = new ArrayList<>();
  private boolean closed;

  /** Adds a stream, pausing it if the gate is closed; call before {@link ResilientStream#start()}. */
  public void add(ResilientStream stream) {
    streams.add(stream);
    if (closed) {
      stream.pause();
    }
  }

  public void remove(ResilientStream stream) {
    streams.remove(stream);
  }

  /** @return whether the streams are paused */
  public boolean closed() {
    return closed;
  }

  @Override
  public void paused() {
    closed = true;
    List.copyOf(streams).forEach(ResilientStream::pause);
  }

  @Override
  public void resumed() {
    closed = false;
    List.copyOf(streams).forEach(ResilientStream::resume);
  }
}
