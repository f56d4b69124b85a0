package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.pintxo.weaver.codecs.api.Pool;
import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Token;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A payload that does not fit its type fails with a message naming topic, partition, offset and field. */
class TopicDecodeFailureTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> PayloadDecodeException failure(Topic<T> topic, String payload, int partition, long offset) {
    PayloadDecodeException e = catchThrowableOfType(PayloadDecodeException.class,
        () -> topic.decode(bytes(payload), partition, offset));
    assertThat(e).as("decoding %s as %s should fail", payload, topic).isNotNull();
    assertThat(e.getMessage()).as("the message names topic, partition and offset")
        .contains(topic.name() + "[" + partition + "]@" + offset);
    assertThat(e.origin()).isEqualTo(new RecordOrigin(topic.name(), partition, offset));
    return e;
  }

  @Test
  void textForANumberNamesTheField() {
    PayloadDecodeException e = failure(Protocol.TOPIC, "{\"name\":\"Aave\",\"tvl\":\"1.5B\"}", 3, 42);
    assertThat(e.field()).contains("tvl");
    assertThat(e.getMessage()).contains("'tvl'");
    assertThat(e.reason()).as("the reason says a number was expected").contains("number");
  }

  @Test
  void numericTextIsNotCoercedToANumber() {
    PayloadDecodeException e = failure(Protocol.TOPIC, "{\"name\":\"Aave\",\"tvl\":\"1.5\"}", 0, 7);
    assertThat(e.field()).contains("tvl");
    assertThat(e.reason()).contains("number");
  }

  @Test
  void numberIsNotCoercedToAString() {
    PayloadDecodeException e = failure(Token.TOPIC, "{\"id\":\"bitcoin\",\"name\":42}", 1, 2);
    assertThat(e.field()).contains("name");
    assertThat(e.reason()).contains("string");
  }

  @Test
  void decimalIsNotTruncatedToALong() {
    PayloadDecodeException e = failure(ai.pintxo.weaver.codecs.api.Bridge.TOPIC, "{\"id\":1.5}", 0, 0);
    assertThat(e.field()).contains("id");
  }

  @Test
  void nestedFieldIsNamedWithItsPath() {
    PayloadDecodeException e = failure(Pool.TOPIC, "{\"pool\":\"p\",\"rewardTokens\":[\"a\",7]}", 0, 9);
    assertThat(e.field()).as("the path into the array").contains("rewardTokens[1]");
  }

  @Test
  void missingRequiredFieldIsNamed() {
    PayloadDecodeException e = failure(Token.TOPIC, "{\"symbol\":\"btc\",\"name\":\"Bitcoin\"}", 2, 100);
    assertThat(e.getMessage()).contains("missing required field 'id'");
  }

  @Test
  void blankRequiredFieldIsRefused() {
    PayloadDecodeException e = failure(Token.TOPIC, "{\"id\":\"  \"}", 0, 1);
    assertThat(e.getMessage()).contains("'id'").contains("blank");
  }

  @Test
  void htmlIsNotJson() {
    PayloadDecodeException e = failure(Token.TOPIC, "<html><body>502 Bad Gateway</body></html>", 0, 5);
    assertThat(e.field()).isEmpty();
    assertThat(e.reason()).startsWith("not valid JSON for Token");
  }

  @Test
  void emptyPayloadIsRefused() {
    PayloadDecodeException e = catchThrowableOfType(PayloadDecodeException.class, () -> Token.TOPIC.decode(new byte[0], 4, 8));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("tokens-api-topic[4]@8").contains("empty payload");
    PayloadDecodeException none = catchThrowableOfType(PayloadDecodeException.class, () -> Token.TOPIC.decode(null, 4, 9));
    assertThat(none).as("a null value is an empty payload too").isNotNull();
  }

  @Test
  void truncatedJsonIsRefused() {
    String full = "{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}";
    PayloadDecodeException e = failure(Token.TOPIC, full.substring(0, full.length() / 2), 0, 11);
    assertThat(e.reason()).startsWith("not valid JSON for Token");
  }

  @Test
  void trailingGarbageIsRefused() {
    failure(Token.TOPIC, "{\"id\":\"bitcoin\"} {\"id\":\"eth\"}", 0, 12);
  }

  @Test
  void unknownFieldsAreTolerated() {
    Token token = Token.TOPIC.decode(bytes("{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\",\"logo\":\"x.png\","
        + "\"extra\":{\"nested\":[1,2]}}"), 0, 0);
    assertThat(token).isEqualTo(new Token("bitcoin", "btc", "Bitcoin", null));
  }

  @Test
  void kafkaDeserializerNamesTheTopic() {
    try (var deserializer = Protocol.TOPIC.deserializer()) {
      PayloadDecodeException e = catchThrowableOfType(PayloadDecodeException.class,
          () -> deserializer.deserialize("protocols-api-topic", bytes("{\"name\":\"Aave\",\"tvl\":\"1.5B\"}")));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("protocols-api-topic").contains("tvl");
      assertThat(e.at(new RecordOrigin("protocols-api-topic", 2, 3)).getMessage())
          .as("the error can be attributed to the record's offset").contains("protocols-api-topic[2]@3").contains("tvl");
    }
  }

  @Test
  void originPrintsPartitionAndOffsetOnlyForKafka() {
    assertThat(new RecordOrigin("t", 3, 42)).hasToString("t[3]@42");
    assertThat(RecordOrigin.source("https://api.llama.fi/protocols")).hasToString("https://api.llama.fi/protocols");
  }
}
