package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;

/**
 * Turns one API data type's response into typed records. One implementation per {@code dataType}
 * of the endpoints file, listed in {@code META-INF/services/ai.pintxo.weaver.poller.ApiHandler}:
 * adding a data source adds a handler and a line there, nothing else in the poller.
 *
 * @param <T> the record type
 */
public interface ApiHandler<T extends Keyed> {

  /** @return the {@code dataType} of the endpoints file this handler reads, e.g. {@code protocols} */
  String dataType();

  /** @return the topic its records go to, {@code <dataType>-api-topic} for the original data types */
  Topic<T> topic();

  /**
   * Parses a whole response. Runs on a worker thread: it may take a while on large payloads.
   *
   * @param body   the response body
   * @param source where it came from (the endpoint URL, secrets redacted), for error messages
   * @return the records and the items that did not fit the record type
   * @throws ai.pintxo.weaver.codecs.PayloadDecodeException when the body as a whole cannot be read
   */
  ParsedResponse<T> parse(byte[] body, String source);
}
