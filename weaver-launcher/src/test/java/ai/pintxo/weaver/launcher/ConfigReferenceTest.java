package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration tables and docs/configuration.md are generated from the option
 * declarations; this test fails when they drift. To regenerate after changing a declaration:
 * {@code mvn -pl weaver-launcher -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dweaver.writeReference=true}.
 */
class ConfigReferenceTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern SECTION = Pattern.compile("<!-- reference: (\\w+) -->\\n(.*?)<!-- /reference -->", Pattern.DOTALL);
  private static final boolean WRITE = Boolean.getBoolean("weaver.writeReference");

  @Test
  void readmeTablesAreTheDeclarations() throws IOException {
    Path readme = ROOT.resolve("README.md");
    String text = Files.readString(readme);
    Map<String, Supplier<String>> sections = ConfigReference.sections();
    Matcher m = SECTION.matcher(text);
    StringBuilder regenerated = new StringBuilder();
    int found = 0;
    while (m.find()) {
      Supplier<String> section = sections.get(m.group(1));
      assertThat(section).as("README names reference section '%s'", m.group(1)).isNotNull();
      String expected = section.get();
      if (!WRITE) {
        assertThat(m.group(2)).as("README section '%s' (regenerate: see this test's javadoc)", m.group(1)).isEqualTo(expected);
      }
      m.appendReplacement(regenerated, Matcher.quoteReplacement("<!-- reference: " + m.group(1) + " -->\n" + expected + "<!-- /reference -->"));
      found++;
    }
    m.appendTail(regenerated);
    if (WRITE) {
      Files.writeString(readme, regenerated.toString());
    }
    assertThat(found).as("reference sections in the README").isEqualTo(sections.size());
  }

  @Test
  void docsReferenceIsTheDeclarations() throws IOException {
    Path docs = ROOT.resolve("docs/configuration.md");
    String expected = ConfigReference.all();
    if (WRITE) {
      Files.writeString(docs, expected);
    }
    assertThat(Files.readString(docs)).as("docs/configuration.md (regenerate: see this test's javadoc)").isEqualTo(expected);
  }

  @Test
  void everyVerticleTypeAndEveryKeyIsDescribed() {
    String all = ConfigReference.all();
    for (String type : Deployment.providers().keySet()) {
      assertThat(all).contains("## " + type);
    }
    assertThat(all).contains("| `endpoint` | http(s) URL | `https://pyth.dourolabs.app/hermes` |")
        .contains("| `vespa.maxInflight` | integer 1..65536 | `connections × maxStreamsPerConnection` |")
        .contains("| `streams[].url` |")
        .contains("| `kafka.embedded.port` | integer 0..65535 | `9092` |");
  }
}
