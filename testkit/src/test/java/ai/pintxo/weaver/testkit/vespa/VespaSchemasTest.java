package ai.pintxo.weaver.testkit.vespa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schemas of the application package, field type checks, and the {@code timeout} parameter. */
class VespaSchemasTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void classpathApplicationHasEveryDocumentType() {
    VespaSchemas schemas = VespaSchemas.fromClasspath();

    assertThat(schemas.documentTypes()).as("every document type of services.xml")
        .containsExactlyInAnyOrder("tokens", "protocol", "chain", "bridge", "stablecoin", "pool", "metric", "erc20_supply", "price",
            "trade", "dex_volume", "daily_fees", "daily_revenue", "new_pool");
    assertThat(schemas.describe("pool")).contains(entry("rewardTokens", "array<string>"), entry("tvlUsd", "double"),
        entry("stablecoin", "bool"), entry("pool", "string"));
    assertThat(schemas.describe("pool")).as("the pool schema has 20 fields").hasSize(20);
    assertThat(schemas.describe("protocol")).contains(entry("chainTvls", "map<string,double>"), entry("gecko_id", "string"));
    assertThat(schemas.describe("tokens").keySet()).containsExactly("id", "symbol", "name");
    assertThat(schemas.describe("house")).as("an unknown type has no fields").isEmpty();
  }

  @Test
  void directoryApplicationIsReadToo(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("schemas"));
    Files.writeString(dir.resolve("schemas/music.sd"), """
        # a comment with field fake type int {
        schema music {
          document music {
            field artist type string { indexing: summary | index }
            field year type int { indexing: summary | attribute }
            field tags type weightedset<string> { indexing: summary }
          }
          fieldset default { fields: artist }
        }
        """);

    VespaSchemas schemas = VespaSchemas.fromDirectory(dir);

    assertThat(schemas.documentTypes()).containsExactly("music");
    assertThat(schemas.describe("music")).containsExactly(entry("artist", "string"), entry("year", "int"),
        entry("tags", "weightedset<string>"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1e1s  | 10000",
      "1ks   | 1000000",
      "500ms | 500",
      "2.5s  | 2500",
      "5     | 5000",
      "1500µs| 2",
      "0.1   | 100"})
  void timeoutIsParsedLikeVespa(String value, long millis) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().add("timeout", value);
    assertThat(DocumentV1Handler.timeoutMillis(params)).as("timeout=%s in milliseconds", value).isEqualTo(millis);
  }

  @Test
  void timeoutDefaultsTo180SecondsAndTheLastValueWins() {
    assertThat(DocumentV1Handler.timeoutMillis(MultiMap.caseInsensitiveMultiMap())).as("Vespa's default timeout").isEqualTo(180_000);
    MultiMap repeated = MultiMap.caseInsensitiveMultiMap().add("timeout", "1s").add("timeout", "250ms");
    assertThat(DocumentV1Handler.timeoutMillis(repeated)).as("a repeated parameter takes its last value").isEqualTo(250);
    assertThatThrownBy(() -> DocumentV1Handler.timeoutMillis(MultiMap.caseInsensitiveMultiMap().add("timeout", "soon")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
  }

  @Test
  void scalarTypesAreReadFromTheirText() throws IOException {
    FieldType dbl = FieldType.parse("double");
    assertThat(dbl.check(json("1.5"))).as("a number is a double").isNull();
    assertThat(dbl.check(json("\"42\""))).as("a numeric string is a double").isNull();
    assertThat(dbl.check(json("\"abc\""))).as("text is not a double").contains("abc");
    assertThat(dbl.check(json("\" 1\""))).as("leading space is refused, as Vespa does").isNotNull();
    assertThat(dbl.check(json("[1]"))).isNotNull();

    FieldType integer = FieldType.parse("int");
    assertThat(integer.check(json("\"42\""))).isNull();
    assertThat(integer.check(json("281474976710656"))).as("an int overflow is refused").isNotNull();
    assertThat(FieldType.parse("long").check(json("281474976710656"))).isNull();

    FieldType bool = FieldType.parse("bool");
    assertThat(bool.check(json("true"))).isNull();
    assertThat(bool.check(json("\"yes\""))).isNotNull();

    assertThat(FieldType.parse("string").check(json("42"))).as("a number is accepted for a string").isNull();
  }

  @Test
  void collectionTypesCheckTheirShapeAndElements() throws IOException {
    FieldType strings = FieldType.parse("array<string>");
    assertThat(strings.name).isEqualTo("array<string>");
    assertThat(strings.check(json("[\"a\",\"b\"]"))).isNull();
    assertThat(strings.check(json("\"a\""))).as("a string is not an array").isNotNull();

    FieldType doubles = FieldType.parse("map<string, double>");
    assertThat(doubles.name).as("spaces are dropped from the spelling").isEqualTo("map<string,double>");
    assertThat(doubles.check(json("{\"Ethereum\":1.5}"))).isNull();
    assertThat(doubles.check(json("{\"Ethereum\":\"x\"}"))).isNotNull();
    assertThat(doubles.check(json("[1.5]"))).isNotNull();

    FieldType weighted = FieldType.parse("weightedset<string>");
    assertThat(weighted.check(json("{\"a\":3}"))).isNull();
    assertThat(weighted.check(json("{\"a\":\"x\"}"))).isNotNull();

    assertThat(FieldType.parse("tensor<float>(x[4])").check(json("[1,2,3,4]"))).as("tensors are not checked").isNull();
    assertThatThrownBy(() -> FieldType.parse("annotationreference<x>")).isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
