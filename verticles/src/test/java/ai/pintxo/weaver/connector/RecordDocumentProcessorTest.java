package ai.pintxo.weaver.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.failure.PermanentFailure;
import ai.pintxo.weaver.it.FragileTrade;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A record processor tells bad data (a typed refusal) from a bug (any other exception, unchanged). */
class RecordDocumentProcessorTest {

  @SuppressWarnings("unchecked")
  private final DocumentProcessor<FragileTrade> processor =
      (DocumentProcessor<FragileTrade>) RecordDocumentProcessor.of("fragile-trades-topic", FragileTrade.class.getName(), "trade");

  @Test
  void aRecordWithoutADocumentIdIsRefusedAsPermanent() {
    assertThatThrownBy(() -> processor.process(trade("")))
        .isInstanceOfSatisfying(PermanentFailure.class, f -> {
          assertThat(f.stage()).isEqualTo("process");
          assertThat(f.status()).isZero();
          assertThat(f.origin().topic()).as("the topic; the connector adds partition and offset").isEqualTo("fragile-trades-topic");
        })
        .hasMessageContaining("empty user-specific part");
  }

  @Test
  void aBugInTheRecordClassSurfacesAsItself() {
    assertThatThrownBy(() -> processor.process(trade("BOOM1")))
        .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("exploded");
  }

  @Test
  void aGoodRecordBecomesAnUpsert() {
    assertThat(processor.process(trade("AAA")).id().userSpecific()).isEqualTo("AAA");
  }

  private static FragileTrade trade(String symbol) {
    return new FragileTrade(symbol, 7, new BigDecimal("1.5"), BigDecimal.ONE, 1000, true);
  }
}
