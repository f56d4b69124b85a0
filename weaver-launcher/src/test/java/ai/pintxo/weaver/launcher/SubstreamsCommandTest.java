package ai.pintxo.weaver.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code weaver substreams inspect} on the real packages of {@code ../shared/fixtures/substreams} (skipped when absent). */
class SubstreamsCommandTest {

  static Path fixture(String name) {
    String shared = System.getProperty("weaver.shared.dir", "../../shared");
    Path file = Path.of(shared, "fixtures", "substreams", name);
    assumeTrue(Files.isRegularFile(file), file + " not found: test skipped");
    return file;
  }

  @Test
  void inspectPrintsTheRealErc20Package() throws Exception {
    Path spkg = fixture("erc20-contracts-rpc-v1.11.0.spkg");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new SubstreamsCommand(new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of("inspect", spkg.toString()));
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println("weaver substreams inspect " + spkg.getFileName() + "\n" + text);
    assertThat(code).isZero();
    assertThat(text).startsWith("package: evm_erc20_contracts_rpc v1.11.0\nnetwork: mainnet\n");
    assertThat(text).contains("  map_events\n    kind: map\n").contains("    output type: evm.tokens.contracts.v1.Events\n");
  }

  @Test
  void aMissingFileIsOneLineNamingIt() {
    assertThat(Weaver.execute(new String[] {"substreams", "inspect", "/nonexistent.spkg"})).isEqualTo(1);
  }
}
