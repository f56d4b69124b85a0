package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import java.util.ArrayList;
import java.util.List;

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
   * @param source where the response comes from (the endpoint URL, secrets redacted), for error messages
   * @return a reader for one response, fed chunk by chunk as the body arrives
   */
  ResponseReader<T> reader(String source);

  /**
   * Parses a whole response at once (tests, tools); the poller streams through {@link #reader}.
   *
   * @param body   the response body
   * @param source where it came from (the endpoint URL, secrets redacted), for error messages
   * @return the records and the items that did not fit the record type
   * @throws ai.pintxo.weaver.codecs.PayloadDecodeException when the body as a whole cannot be read
   */
  default ParsedResponse<T> parse(byte[] body, String source) {
    List<T> records = new ArrayList<>();
    List<ParsedResponse.ItemFailure> failures = new ArrayList<>();
    ResponseReader.Sink<T> sink = new ResponseReader.Sink<>() {
      @Override
      public void record(T record) {
        records.add(record);
      }

      @Override
      public void failure(ParsedResponse.ItemFailure failure) {
        failures.add(failure);
      }
    };
    ResponseReader<T> reader = reader(source);
    reader.feed(body, sink);
    reader.end(sink);
    return new ParsedResponse<>(records, failures);
  }
}
