package ai.pintxo.weaver.codecs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Why a record went to a dead-letter topic, carried in the record's headers next to the original
 * key and value, so it can be inspected and replayed after a fix.
 *
 * @param stage     where it failed: {@code poll}, {@code decode}, {@code process} or {@code feed}
 * @param error     the one-line error
 * @param status    the HTTP status involved (Vespa's or the source API's), or 0
 * @param origin    the Kafka origin (topic, partition, offset), or the source (e.g. an endpoint URL)
 * @param time      when it failed
 * @param exception the class name of the unexpected exception behind it (a bug, not bad data), or null
 */
public record DeadLetter(String stage, String error, int status, RecordOrigin origin, Instant time, String exception) {

  public static final String STAGE = "weaver.dlq.stage";
  public static final String ERROR = "weaver.dlq.error";
  public static final String STATUS = "weaver.dlq.status";
  public static final String ORIGIN_TOPIC = "weaver.dlq.origin.topic";
  public static final String ORIGIN_PARTITION = "weaver.dlq.origin.partition";
  public static final String ORIGIN_OFFSET = "weaver.dlq.origin.offset";
  public static final String TIME = "weaver.dlq.time";
  /** Only on letters caused by an unexpected exception; letters written before it existed have none. */
  public static final String EXCEPTION = "weaver.dlq.exception";

  /** Headers are small: an error longer than this is cut. */
  private static final int MAX_ERROR_CHARS = 2000;

  public DeadLetter {
    Fields.requireText(stage, "stage");
    error = error == null ? "unknown error" : error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
    exception = exception == null || exception.isEmpty() ? null : exception;
  }

  /** A dead letter for bad data or a refusal: no exception class. */
  public DeadLetter(String stage, String error, int status, RecordOrigin origin, Instant time) {
    this(stage, error, status, origin, time, null);
  }

  /** @return the headers that describe this dead letter */
  public List<Header> toHeaders() {
    List<Header> headers = new ArrayList<>();
    headers.add(header(STAGE, stage));
    headers.add(header(ERROR, error));
    headers.add(header(STATUS, Integer.toString(status)));
    headers.add(header(ORIGIN_TOPIC, origin.topic()));
    headers.add(header(ORIGIN_PARTITION, Integer.toString(origin.partition())));
    headers.add(header(ORIGIN_OFFSET, Long.toString(origin.offset())));
    headers.add(header(TIME, time.toString()));
    if (exception != null) {
      headers.add(header(EXCEPTION, exception));
    }
    return headers;
  }

  /**
   * @param headers the headers of a dead-letter record
   * @return the dead letter, or empty when the headers are not a weaver dead letter
   */
  public static Optional<DeadLetter> fromHeaders(Headers headers) {
    String stage = text(headers, STAGE);
    if (stage == null) {
      return Optional.empty();
    }
    return Optional.of(new DeadLetter(stage, text(headers, ERROR), Integer.parseInt(text(headers, STATUS)),
        new RecordOrigin(text(headers, ORIGIN_TOPIC), Integer.parseInt(text(headers, ORIGIN_PARTITION)),
            Long.parseLong(text(headers, ORIGIN_OFFSET))),
        Instant.parse(text(headers, TIME)), text(headers, EXCEPTION)));
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
