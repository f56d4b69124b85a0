package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.codecs.PayloadDecodeException;
import java.util.List;

/**
 * The outcome of parsing one response: the records, and the items that did not fit (which go to
 * the dead-letter topic while the rest flow on).
 *
 * @param records  the typed records, in response order
 * @param failures the items that could not be read
 * @param <T>      the record type
 */
public record ParsedResponse<T>(List<T> records, List<ItemFailure> failures) {

  public ParsedResponse {
    records = List.copyOf(records);
    failures = List.copyOf(failures);
  }

  /**
   * One response item that does not fit the record type.
   *
   * @param index the item's position in the response array
   * @param item  the item's JSON
   * @param error what is wrong with it
   */
  public record ItemFailure(int index, byte[] item, PayloadDecodeException error) {
  }
}
