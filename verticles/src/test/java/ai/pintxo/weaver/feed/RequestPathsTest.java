package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The netty transport's request paths: byte for byte what {@link VespaPaths} and the query make. */
class RequestPathsTest {

  private static String expected(DocumentId id, boolean create, long timeoutMillis) {
    return VespaPaths.documentPath(id) + "?" + (create ? "create=true&" : "") + "timeout=" + timeoutMillis + "ms";
  }

  @Test
  void pathsAreTheEncodedIdAndTheQuery() {
    RequestPaths paths = new RequestPaths();
    List<String> userParts = List.of("Uniswap V3", "coin-0", "a/b?c#d%e&f=g+h", "tab\there", "Ünïcödé", "emoji \uD83D\uDE80",
        "quote\"back\\slash", "*._-~", "x".repeat(400));
    for (long timeout : new long[] {180_000, 5_000, 180_000}) {
      for (String type : List.of("protocol", "pool", "token price", "protocol")) {
        for (String user : userParts) {
          for (boolean create : new boolean[] {true, false}) {
            DocumentId id = new DocumentId("pintxo", type, user);
            assertThat(paths.path(id, create, timeout).toString()).isEqualTo(expected(id, create, timeout));
            DocumentId other = new DocumentId("other ns", type, user);
            assertThat(paths.path(other, create, timeout).toString()).isEqualTo(expected(other, create, timeout));
          }
        }
      }
    }
  }
}
