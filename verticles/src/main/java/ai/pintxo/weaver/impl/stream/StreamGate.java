package ai.pintxo.weaver.impl.stream;

import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.pipeline.UnitReporter;
import ai.pintxo.weaver.pipeline.UnitState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Pauses a source's streams while its {@link SourceSink} cannot take more (full, or Kafka unavailable)
 * and resumes them after: a paused stream stops reading its socket, so what the server sends meanwhile
 * waits in the network's buffers instead of piling up in memory or being dropped. A stream added while
 * the gate is closed starts paused. The units running here are reported paused meanwhile (the status
 * page shows why no data comes).
 *
 * <p>Threading: confined to the source's context, like its streams and sink.
 */
public final class StreamGate implements SourceSink.Listener {

  private final List<ResilientStream> streams = new ArrayList<>();
  private final Supplier<Collection<UnitReporter>> running;
  private boolean closed;

  /** @param running the reporters of the units running here (a unit stopped by an operator is not among them) */
  public StreamGate(Supplier<Collection<UnitReporter>> running) {
    this.running = running;
  }

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
  public void paused(String reason) {
    closed = true;
    List.copyOf(streams).forEach(ResilientStream::pause);
    for (UnitReporter reporter : List.copyOf(running.get())) {
      if (reporter.state() != UnitState.STOPPED) { // a unit that ended (all its feeds refused) stays as it is
        reporter.paused(reason);
      }
    }
  }

  @Override
  public void resumed() {
    closed = false;
    List.copyOf(streams).forEach(ResilientStream::resume);
    List.copyOf(running.get()).forEach(UnitReporter::resumed); // only a paused one becomes running again
  }
}
