package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Dead letters travel in Kafka headers and come back unchanged. */
class DeadLetterTest {

  @Test
  void headersRoundTrip() {
    DeadLetter letter = new DeadLetter("feed", "Status 400: Field 'x' is not defined in document type 'tokens'", 400,
        new RecordOrigin("tokens-api-topic", 3, 12345L), Instant.parse("2026-01-02T03:04:05.123456789Z"));

    RecordHeaders headers = new RecordHeaders();
    letter.toHeaders().forEach(headers::add);
    headers.add("unrelated", "x".getBytes(StandardCharsets.UTF_8));

    assertThat(DeadLetter.fromHeaders(headers)).as("the dead letter read back from its headers").contains(letter);
    assertThat(text(headers.lastHeader(DeadLetter.ORIGIN_OFFSET))).isEqualTo("12345");
    assertThat(text(headers.lastHeader(DeadLetter.STAGE))).isEqualTo("feed");
  }

  @Test
  void theExceptionClassRoundTripsAndLettersWithoutItStillRead() {
    DeadLetter unexpected = new DeadLetter("process", "NullPointerException in TokensProcessor", 0, new RecordOrigin("t", 0, 7),
        Instant.EPOCH, "java.lang.NullPointerException");
    RecordHeaders headers = new RecordHeaders();
    unexpected.toHeaders().forEach(headers::add);
    assertThat(text(headers.lastHeader(DeadLetter.EXCEPTION))).isEqualTo("java.lang.NullPointerException");
    assertThat(DeadLetter.fromHeaders(headers)).contains(unexpected);

    RecordHeaders old = new RecordHeaders();
    new DeadLetter("process", "refused", 0, new RecordOrigin("t", 0, 8), Instant.EPOCH).toHeaders().forEach(old::add);
    assertThat(old.lastHeader(DeadLetter.EXCEPTION)).as("bad data carries no exception header").isNull();
    assertThat(DeadLetter.fromHeaders(old)).hasValueSatisfying(letter -> {
      assertThat(letter.exception()).isNull();
      assertThat(letter.error()).isEqualTo("refused");
    });
  }

  @Test
  void sourceOriginRoundTrips() {
    DeadLetter letter = new DeadLetter("poll", "HTTP 500", 500, RecordOrigin.source("https://api.llama.fi/protocols"),
        Instant.parse("2026-05-06T07:08:09Z"));
    RecordHeaders headers = new RecordHeaders();
    letter.toHeaders().forEach(headers::add);
    assertThat(DeadLetter.fromHeaders(headers)).contains(letter);
  }

  @Test
  void theLastHeaderWins() {
    RecordHeaders headers = new RecordHeaders();
    new DeadLetter("decode", "first", 0, new RecordOrigin("t", 0, 1), Instant.EPOCH).toHeaders().forEach(headers::add);
    DeadLetter second = new DeadLetter("feed", "second", 503, new RecordOrigin("t", 1, 2), Instant.EPOCH.plusSeconds(1));
    second.toHeaders().forEach(headers::add);
    assertThat(DeadLetter.fromHeaders(headers)).contains(second);
  }

  @Test
  void otherHeadersAreNotADeadLetter() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    assertThat(DeadLetter.fromHeaders(headers)).isEmpty();
  }

  @Test
  void errorIsBoundedAndNeverNull() {
    DeadLetter unknown = new DeadLetter("process", null, 0, new RecordOrigin("t", 0, 0), Instant.EPOCH);
    assertThat(unknown.error()).isEqualTo("unknown error");

    DeadLetter longOne = new DeadLetter("process", "e".repeat(5000), 0, new RecordOrigin("t", 0, 0), Instant.EPOCH);
    assertThat(longOne.error()).hasSize(2001).endsWith("…");

    assertThatThrownBy(() -> new DeadLetter(" ", "x", 0, new RecordOrigin("t", 0, 0), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage");
  }

  private static String text(Header header) {
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
