package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.failure.UndecodableFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Reads one HTTP response incrementally: the poller feeds the body chunk by chunk as it arrives
 * and the reader hands each record to the sink as soon as it is complete, so a response of any
 * size is read in bounded memory. One reader per response; not thread-safe (the poller uses it
 * from its event loop).
 *
 * @param <T> the record type
 */
public interface ResponseReader<T> {

  /**
   * Reads a chunk of the body.
   *
   * @param chunk the bytes; the reader does not keep the array after returning
   * @param sink  receives the records and item failures completed by this chunk
   * @throws ai.pintxo.weaver.codecs.PayloadDecodeException when the response as a whole cannot be read
   */
  void feed(byte[] chunk, Sink<T> sink);

  /**
   * The body is complete.
   *
   * @param sink receives the records completed only now
   * @return the URL of the next page (JSON:API {@code links.next}), empty when this was the last
   * @throws ai.pintxo.weaver.codecs.PayloadDecodeException when the body is not a complete response
   */
  Optional<String> end(Sink<T> sink);

  /**
   * The body is complete; what the poller calls. A reader whose remaining work grows with the body
   * (a JSON:API page is parsed whole) does it on a worker thread when the body is large, and delivers
   * the records to the sink on the caller's event loop in bounded batches. The default runs
   * {@link #end(Sink)} in place: right for a streaming reader, which has only its last chunk's tail left.
   *
   * @param sink  receives the records completed only now, on the caller's context
   * @param vertx runs blocking work
   * @return the URL of the next page, empty when this was the last; fails with an
   *     {@link UndecodableFailure} when the body is not a complete response
   */
  default Future<Optional<String>> end(Sink<T> sink, Vertx vertx) {
    try {
      return Future.succeededFuture(end(sink));
    } catch (UndecodableFailure e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Where a reader delivers what it read.
   *
   * @param <T> the record type
   */
  interface Sink<T> {

    /** @param record a record read from the response */
    void record(T record);

    /** @param failure an item that does not fit the record type */
    void failure(ParsedResponse.ItemFailure failure);
  }
}
