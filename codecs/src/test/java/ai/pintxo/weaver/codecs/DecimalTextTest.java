package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** One rule for decimals, whether read by a record's deserializer or from a tree (declared fields, handlers). */
class DecimalTextTest {

  record Price(@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = DecimalText.class) BigDecimal price) {
  }

  private static JsonNode node(String json) throws Exception {
    return Json.mapper().readTree(json);
  }

  @Test
  void numbersAndDecimalStringsAreExact() throws Exception {
    // a number node is as exact as the reader made it: with big decimals for floats (as the poller reads items), every digit
    JsonNode exact = Json.mapper().reader(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree("0.1000000000000000055511151231257827");
    assertThat(DecimalText.of(exact)).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    assertThat(DecimalText.of(node("\" 0.00123 \""))).isEqualTo(new BigDecimal("0.00123"));
    assertThat(DecimalText.of(node("12"))).isEqualTo(new BigDecimal("12"));
    assertThat(Json.mapper().readValue("{\"price\":\"1e-30\"}", Price.class).price()).isEqualTo(new BigDecimal("1e-30"));
  }

  @Test
  void anythingElseIsNamed() {
    assertThatThrownBy(() -> DecimalText.of(node("\"12,5\""))).hasMessage("expected a decimal, got string \"12,5\"");
    assertThatThrownBy(() -> DecimalText.of(node("true"))).hasMessage("expected a decimal, got boolean true");
    assertThatThrownBy(() -> DecimalText.of(node("[1]"))).hasMessage("expected a decimal, got array [1]");
  }
}
