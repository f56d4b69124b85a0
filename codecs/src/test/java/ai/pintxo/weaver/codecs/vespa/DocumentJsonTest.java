package ai.pintxo.weaver.codecs.vespa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request bodies in Vespa's document JSON format, and the value types that go into them. */
class DocumentJsonTest {

  private static final DocumentId UNISWAP = DocumentId.pintxo("protocol", "Uniswap V3");

  private static String body(DocumentOperation operation) {
    return new String(DocumentJson.body(operation), StandardCharsets.UTF_8);
  }

  @Test
  void upsertAssignsEveryFieldInOrder() {
    Map<String, Double> chainTvls = new LinkedHashMap<>();
    chainTvls.put("Ethereum", 1.0);
    chainTvls.put("Base", 0.5);

    DocumentUpdate update = DocumentUpdate.upsert(UNISWAP)
        .assign("name", "x")
        .assign("listedAt", 42L)
        .assign("tvl", 1.5)
        .assign("stablecoin", true)
        .assign("chains", List.of("Ethereum", "Base"))
        .assignMap("chainTvls", chainTvls)
        .build();

    assertThat(update.create()).as("an upsert creates missing documents").isTrue();
    assertThat(update.id()).isEqualTo(UNISWAP);
    assertThat(body(update)).isEqualTo("{\"fields\":{"
        + "\"name\":{\"assign\":\"x\"},"
        + "\"listedAt\":{\"assign\":42},"
        + "\"tvl\":{\"assign\":1.5},"
        + "\"stablecoin\":{\"assign\":true},"
        + "\"chains\":{\"assign\":[\"Ethereum\",\"Base\"]},"
        + "\"chainTvls\":{\"assign\":{\"Ethereum\":1.0,\"Base\":0.5}}}}");
  }

  @Test
  void textIsEscapedAsJson() {
    DocumentUpdate update = DocumentUpdate.upsert(UNISWAP).assign("description", "say \"hi\"\n\\ Ünï 東京").build();
    assertThat(body(update)).isEqualTo("{\"fields\":{\"description\":{\"assign\":\"say \\\"hi\\\"\\n\\\\ Ünï 東京\"}}}");
  }

  @Test
  void putWritesBareValues() {
    Map<String, FieldValue> fields = new LinkedHashMap<>();
    fields.put("name", FieldValue.of("Uniswap V3"));
    fields.put("tvl", FieldValue.of(1.5e9));
    fields.put("chainId", FieldValue.of(1L));
    fields.put("stablecoin", FieldValue.of(false));
    fields.put("chains", FieldValue.ofStrings(List.of("Ethereum")));
    fields.put("chainTvls", FieldValue.ofDoubles(Map.of("Ethereum", 2.0)));

    assertThat(body(new DocumentPut(UNISWAP, fields))).isEqualTo("{\"fields\":{\"name\":\"Uniswap V3\",\"tvl\":1.5E9,\"chainId\":1,"
        + "\"stablecoin\":false,\"chains\":[\"Ethereum\"],\"chainTvls\":{\"Ethereum\":2.0}}}");
    assertThat(body(new DocumentPut(UNISWAP, Map.of()))).as("a put may have no fields").isEqualTo("{\"fields\":{}}");
  }

  @Test
  void removeHasNoBody() {
    assertThat(DocumentJson.body(new DocumentRemove(UNISWAP))).isEmpty();
  }

  @Test
  void builderLeavesNullValuesOut() {
    DocumentUpdate update = DocumentUpdate.upsert(UNISWAP)
        .assign("name", "x")
        .assign("symbol", (String) null)
        .assign("listedAt", (Long) null)
        .assign("tvl", (Double) null)
        .assign("stablecoin", (Boolean) null)
        .assign("chains", (List<String>) null)
        .assignMap("chainTvls", null)
        .build();

    assertThat(update.assigns()).as("null leaves the field out of the update").containsOnlyKeys("name");
    assertThat(body(update)).isEqualTo("{\"fields\":{\"name\":{\"assign\":\"x\"}}}");
  }

  @Test
  void builderRefusesAnEmptyUpdateAndDoubleAssignment() {
    assertThatThrownBy(() -> DocumentUpdate.upsert(UNISWAP).assign("name", (String) null).build())
        .as("an update must assign something").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assigns no field");
    assertThatThrownBy(() -> DocumentUpdate.upsert(UNISWAP).assign("name", "a").assign("name", "b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name' assigned twice");
    assertThatThrownBy(() -> DocumentUpdate.upsert(UNISWAP).assign("tvl", 1.0).assign("tvl", 2L))
        .as("even with another type").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void assignsAreACopy() {
    DocumentUpdate update = DocumentUpdate.upsert(UNISWAP).assign("name", "x").build();
    assertThatThrownBy(() -> update.assigns().put("tvl", FieldValue.of(1.0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertThatThrownBy(() -> FieldValue.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValue.of(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DocumentUpdate.upsert(UNISWAP).assign("tvl", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    Map<String, Double> withNaN = new LinkedHashMap<>();
    withNaN.put("Ethereum", Double.NaN);
    assertThatThrownBy(() -> FieldValue.ofDoubles(withNaN)).isInstanceOf(IllegalArgumentException.class);
    Map<String, Double> withNull = new LinkedHashMap<>();
    withNull.put("Ethereum", null);
    assertThatThrownBy(() -> FieldValue.ofDoubles(withNull)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValue.of((String) null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void documentIdPrintsVespasForm() {
    assertThat(UNISWAP).hasToString("id:pintxo:protocol::Uniswap V3");
    assertThat(new DocumentId("space", "music", "one/two?#%")).hasToString("id:space:music::one/two?#%");
    assertThatThrownBy(() -> DocumentId.pintxo("protocol", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DocumentId.pintxo("pro:tocol", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DocumentId("a/b", "protocol", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUpdateKeepsItsFieldsWhenItsBuilderGoesOnOrMerges() {
    DocumentUpdate.Builder builder = DocumentUpdate.upsert(UNISWAP).assign("name", "x");
    DocumentUpdate first = builder.build();
    DocumentUpdate second = builder.assign("tvl", 1.5).build();
    DocumentUpdate third = builder.build();
    DocumentUpdate merged = first.mergedWith(DocumentUpdate.upsert(UNISWAP).assign("name", "y").assign("listedAt", 42L).build());

    assertThat(body(first)).isEqualTo("{\"fields\":{\"name\":{\"assign\":\"x\"}}}");
    assertThat(second.assigns()).containsOnlyKeys("name", "tvl");
    assertThat(third).isEqualTo(second);
    assertThat(third.assigns()).isNotSameAs(second.assigns());
    assertThat(body(merged)).isEqualTo("{\"fields\":{\"name\":{\"assign\":\"y\"},\"listedAt\":{\"assign\":42}}}");
    assertThat(first.assigns()).containsOnlyKeys("name");
    assertThatThrownBy(() -> first.assigns().put("tvl", FieldValue.of(2.0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyFieldNameIsWrittenExactlyHoweverManyThereAre() {
    for (int round = 0; round < 2; round++) { // the second round reads the heads kept by the first
      for (int i = 0; i < 1500; i++) {
        String name = "f" + i + (i % 7 == 0 ? "\"q\u00e9" : "");
        DocumentUpdate update = DocumentUpdate.upsert(UNISWAP).assign(name, (long) i).build();
        assertThat(body(update)).isEqualTo("{\"fields\":{\"" + name.replace("\"", "\\\"") + "\":{\"assign\":" + i + "}}}");
      }
    }
  }
}
